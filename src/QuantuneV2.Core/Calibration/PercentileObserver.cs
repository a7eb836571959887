namespace QuantuneV2.Core.Calibration;

/// <summary>
/// Clips each tail at a percentile p (default 99.999): the range runs from the (100 − p)th to the
/// pth percentile of all finite values, read from a histogram over [min, max] (<see cref="HistogramObserver"/>).
/// With n values and q = n·(100 − p)/100, the lower end is the lower edge of the first bin at which
/// the count from the left exceeds q, the upper end the upper edge of the first bin at which the
/// count from the right exceeds q: each end is within one bin width of the exact percentile, on the
/// outer side, and p = 100 gives the exact min and max.
/// </summary>
public sealed class PercentileObserver : HistogramObserver
{
    public const double DefaultPercentile = 99.999;
    public const int DefaultBins = 2048;

    public PercentileObserver(double percentile = DefaultPercentile, int bins = DefaultBins) : base(bins)
    {
        if (!(percentile >= 50 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "the percentile must be in [50, 100]");
        Percentile = percentile;
    }

    public double Percentile { get; }

    protected override HistogramValues Counted => HistogramValues.Values;

    protected override RangeObserver CreateEmpty() => new PercentileObserver(Percentile, Bins);

    protected override (float Min, float Max) ComputeRange(Histogram histogram)
    {
        var counts = histogram.Counts;
        double clipped = histogram.Total * (100 - Percentile) / 100;
        int lower = 0, upper = counts.Length - 1;
        for (long seen = 0; (seen += counts[lower]) <= clipped; lower++) { }
        for (long seen = 0; (seen += counts[upper]) <= clipped; upper--) { }
        var (min, max) = Extremes;
        return (MathF.Max(min, histogram.Edge(lower)), MathF.Min(max, histogram.Edge(upper + 1)));
    }
}
