namespace QuantuneV2.Core.Calibration;

/// <summary>The one place a <see cref="CalibrationMethod"/> becomes an observer.</summary>
public static class RangeObservers
{
    /// <param name="percentile">Used by <see cref="CalibrationMethod.Percentile"/> only.</param>
    /// <param name="averagingConstant">Used by <see cref="CalibrationMethod.MovingAverageMinMax"/> only.</param>
    public static RangeObserver Create(CalibrationMethod method,
        double percentile = PercentileObserver.DefaultPercentile,
        float averagingConstant = MovingAverageMinMaxObserver.DefaultAveragingConstant) => method switch
    {
        CalibrationMethod.MinMax => new MinMaxObserver(),
        CalibrationMethod.Percentile => new PercentileObserver(percentile),
        CalibrationMethod.Entropy => new EntropyObserver(),
        CalibrationMethod.MovingAverageMinMax => new MovingAverageMinMaxObserver(averagingConstant),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method"),
    };
}
