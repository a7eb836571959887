namespace QuantuneV2.Core.Calibration;

/// <summary>
/// KL-divergence calibration, as TensorRT does it for int8 (Migacz, "8-bit Inference with TensorRT",
/// GTC 2017). Histogram H of the non-zero |x| in <see cref="HistogramObserver.Bins"/> (default 2048) equal bins over
/// [0, a], a = max|x|. For every candidate i = L … Bins (L = <see cref="Levels"/>, default 128):
/// <list type="number">
/// <item>reference P = H[0..i), with the outliers Σ H[i..] added to P[i−1];</item>
/// <item>candidate Q: the bins H[0..i) (outliers not added) merged into L levels, bin j going to level
/// ⌊j·L/i⌋; each level's count is spread evenly over the bins of that level where P is non-zero
/// (bins where P is zero stay zero in Q);</item>
/// <item>KL(P‖Q) = Σ p·ln(p/q) over the bins where P is non-zero, P and Q each normalised to sum 1;
/// a candidate with q = 0 where p &gt; 0 has infinite divergence.</item>
/// </list>
/// The threshold is T = i·a/Bins (the upper edge of the last kept bin) for the i with the least
/// divergence, the smallest such i on ties. i = Bins has no outliers, so Q is positive wherever P is
/// and at least that candidate is finite. The range is (max(min, −T), min(max, T)): symmetric
/// clipping that never reaches past the observed values, so a non-negative tensor gets (min, T).
/// </summary>
public sealed class EntropyObserver : HistogramObserver
{
    public const int DefaultBins = 2048;
    /// <summary>Levels of the quantized candidate: 128, the magnitudes of int8.</summary>
    public const int DefaultLevels = 128;

    public EntropyObserver(int bins = DefaultBins, int levels = DefaultLevels) : base(bins)
    {
        if (levels < 2 || levels > bins)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, $"levels must be in [2, bins = {bins}]");
        Levels = levels;
    }

    public int Levels { get; }

    // Exact zeros (most of a ReLU output) are left out: they quantize without error, and as one spike
    // in bin 0 they make every candidate that merges bins pay for smearing it, which drove the
    // threshold to its smallest candidate (max/16) on post-ReLU tensors (docs/calibration.md).
    protected override HistogramValues Counted => HistogramValues.NonZeroMagnitudes;

    protected override RangeObserver CreateEmpty() => new EntropyObserver(Bins, Levels);

    protected override (float Min, float Max) ComputeRange(Histogram histogram)
    {
        int best = Threshold(histogram.Counts, Levels);
        float t = histogram.Edge(best);
        var (min, max) = Extremes;
        return (MathF.Max(min, -t), MathF.Min(max, t));
    }

    /// <summary>The number of bins i kept by the least-divergence candidate.</summary>
    internal static int Threshold(ReadOnlySpan<long> h, int levels)
    {
        int bins = h.Length;
        long total = 0;
        // ln H[j] once: with KL = (1/n)·Σ P_j (ln P_j − ln Q_j) + ln(m/n), where n = Σ P (all values)
        // and m = Σ Q (values below the threshold), the inner loop needs no logarithm but the last bin's.
        var logH = new double[bins];
        for (int j = 0; j < bins; j++)
        {
            total += h[j];
            logH[j] = h[j] > 0 ? Math.Log(h[j]) : 0;
        }
        var levelSum = new long[levels];
        var levelNonZero = new int[levels];
        var logQ = new double[levels];
        double bestKl = double.PositiveInfinity;
        int best = bins;
        long kept = 0;
        for (int j = 0; j < levels - 1; j++) kept += h[j];
        for (int i = levels; i <= bins; i++)
        {
            kept += h[i - 1];
            long outliers = total - kept;
            if (kept == 0) continue;
            Array.Clear(levelSum);
            Array.Clear(levelNonZero);
            for (int j = 0; j < i; j++)
            {
                int level = (int)((long)j * levels / i);
                levelSum[level] += h[j];
                if (h[j] > 0 || (j == i - 1 && outliers > 0)) levelNonZero[level]++;
            }
            for (int l = 0; l < levels; l++)
                logQ[l] = levelSum[l] > 0 ? Math.Log((double)levelSum[l] / levelNonZero[l]) : double.NegativeInfinity;
            double sum = 0;
            for (int j = 0; j < i - 1; j++)
                if (h[j] > 0) sum += h[j] * (logH[j] - logQ[(int)((long)j * levels / i)]);
            long pLast = h[i - 1] + outliers;
            if (pLast > 0) sum += pLast * (Math.Log(pLast) - logQ[(int)((long)(i - 1) * levels / i)]);
            // A level with P > 0 but no count to spread gives ln Q = −∞: infinite divergence, never chosen.
            double kl = sum / total + Math.Log((double)kept / total);
            if (kl < bestKl)
            {
                bestKl = kl;
                best = i;
            }
        }
        return best;
    }
}
