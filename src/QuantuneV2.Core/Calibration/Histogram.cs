namespace QuantuneV2.Core.Calibration;

/// <summary>
/// A fixed number of equal bins over [Lo, Hi] holding integer counts. The span never changes once
/// made, so merging is adding counts: the result cannot depend on how values were split or ordered.
/// Values outside the span go to the end bins; NaN and ±∞ are skipped.
/// </summary>
public sealed class Histogram
{
    private readonly long[] _counts;
    private readonly float _scale;

    public Histogram(int bins, float lo, float hi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!(float.IsFinite(lo) && float.IsFinite(hi) && lo <= hi))
            throw new ArgumentException($"histogram span [{lo}, {hi}] must be finite and ordered");
        _counts = new long[bins];
        Lo = lo;
        Hi = hi;
        // A span of width 0 (one distinct value) puts everything in bin 0.
        _scale = hi > lo ? (float)(bins / ((double)hi - lo)) : 0f;
    }

    public int Bins => _counts.Length;
    public float Lo { get; }
    public float Hi { get; }
    public ReadOnlySpan<long> Counts => _counts;
    public long Total { get; private set; }

    /// <summary>Lower edge of bin <paramref name="k"/>; <c>Edge(Bins)</c> is exactly Hi.</summary>
    public float Edge(int k) => k == Bins ? Hi : (float)(Lo + ((double)Hi - Lo) * k / Bins);

    /// <summary>Counts the values, or what <paramref name="counted"/> says to take of them.</summary>
    public void Add(ReadOnlySpan<float> values, HistogramValues counted)
    {
        int last = _counts.Length - 1;
        long added = 0;
        bool magnitudes = counted != HistogramValues.Values;
        bool skipZeros = counted == HistogramValues.NonZeroMagnitudes;
        foreach (float v in values)
        {
            if (!float.IsFinite(v) || (skipZeros && v == 0f)) continue;
            float x = magnitudes ? MathF.Abs(v) : v;
            int bin = (int)((x - Lo) * _scale);
            _counts[Math.Clamp(bin, 0, last)]++;
            added++;
        }
        Total += added;
    }

    public void Merge(Histogram other)
    {
        if (other.Bins != Bins || other.Lo != Lo || other.Hi != Hi)
            throw new ArgumentException($"cannot merge a histogram of {other.Bins} bins over [{other.Lo}, {other.Hi}] into one of {Bins} over [{Lo}, {Hi}]", nameof(other));
        for (int k = 0; k < _counts.Length; k++) _counts[k] += other._counts[k];
        Total += other.Total;
    }
}

/// <summary>What a <see cref="Histogram"/> counts of each value.</summary>
public enum HistogramValues
{
    /// <summary>x itself, over [min, max].</summary>
    Values,
    /// <summary>|x|, over [0, max|x|].</summary>
    Magnitudes,
    /// <summary>|x| of the values that are not exactly 0 (an exact zero is exact in int8 too).</summary>
    NonZeroMagnitudes,
}
