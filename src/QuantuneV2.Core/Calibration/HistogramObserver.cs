namespace QuantuneV2.Core.Calibration;

/// <summary>
/// Base of the observers that need a histogram. Two passes over the samples: the first finds the
/// exact finite min/max, the second counts into a <see cref="Histogram"/> spanning them, whose size
/// is fixed by <see cref="Bins"/> — memory does not grow with the number of samples, and fixed bins
/// make the merged counts independent of how samples were split (an adaptive histogram that
/// re-bins when the range grows would depend on arrival order).
/// </summary>
public abstract class HistogramObserver : RangeObserver
{
    private Histogram? _histogram;

    protected HistogramObserver(int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        Bins = bins;
    }

    public int Bins { get; }

    public sealed override int Passes => 2;

    /// <summary>The second pass's histogram; null during the first pass.</summary>
    public Histogram? Histogram => _histogram;

    /// <summary>What the histogram counts: x over [min, max], or |x| over [0, max|x|].</summary>
    protected abstract HistogramValues Counted { get; }

    protected sealed override void OnNextPass()
    {
        var (min, max) = Extremes;
        _histogram = Counted != HistogramValues.Values ? new Histogram(Bins, 0f, MathF.Max(-min, max)) : new Histogram(Bins, min, max);
    }

    protected sealed override void ObserveAgain(ReadOnlySpan<float> values) => _histogram!.Add(values, Counted);

    protected sealed override void MergeCore(RangeObserver other)
    {
        if (_histogram is not null) _histogram.Merge(((HistogramObserver)other)._histogram!);
    }

    // An empty histogram after a non-empty first pass means the samples changed between passes.
    protected sealed override (float Min, float Max) ComputeRange() =>
        _histogram!.Total == 0 ? Extremes : ComputeRange(_histogram);

    /// <summary>
    /// The fraction of the histogram's values in bins wholly outside <paramref name="range"/> (to within a
    /// bin). A magnitude histogram counts |x| ≥ max(−min, max) as clipped: its ranges clip both signs at one
    /// threshold. Of the non-zero values when the histogram leaves zeros out.
    /// </summary>
    public sealed override double? ClippedFraction((float Min, float Max) range)
    {
        var h = _histogram ?? throw new InvalidOperationException($"{GetType().Name} has no histogram before its second pass");
        if (h.Total == 0) return 0;
        var (lo, hi) = range;
        long clipped = 0;
        bool magnitudes = Counted != HistogramValues.Values;
        float upper = magnitudes ? MathF.Max(-lo, hi) : hi;
        for (int k = 0; k < h.Bins; k++)
            if ((upper < h.Hi && h.Edge(k) >= upper) || (!magnitudes && lo > h.Lo && h.Edge(k + 1) <= lo))
                clipped += h.Counts[k];
        return (double)clipped / h.Total;
    }

    /// <summary>The range from the complete histogram (which holds at least one value).</summary>
    protected abstract (float Min, float Max) ComputeRange(Histogram histogram);
}
