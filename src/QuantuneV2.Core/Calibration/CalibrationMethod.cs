namespace QuantuneV2.Core.Calibration;

/// <summary>How an activation's clipping range is chosen from the calibration samples (docs/calibration.md).</summary>
public enum CalibrationMethod
{
    /// <summary><see cref="MinMaxObserver"/>: exact min and max.</summary>
    MinMax,
    /// <summary><see cref="PercentileObserver"/>: each tail clipped at a percentile.</summary>
    Percentile,
    /// <summary><see cref="EntropyObserver"/>: the threshold of least KL divergence.</summary>
    Entropy,
    /// <summary><see cref="MovingAverageMinMaxObserver"/>: per-sample min/max averaged in sample order.</summary>
    MovingAverageMinMax,
}
