namespace QuantuneV2.Core.Calibration;

/// <summary>The exact min and max of every finite value over all samples: no clipping at all.</summary>
public sealed class MinMaxObserver : RangeObserver
{
    protected override RangeObserver CreateEmpty() => new MinMaxObserver();

    protected override (float Min, float Max) ComputeRange() => Extremes;
}
