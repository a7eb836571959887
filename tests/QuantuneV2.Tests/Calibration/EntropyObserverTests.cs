using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

public class EntropyObserverTests
{
    [Fact]
    public void GaussianWithOutliersIsClippedFarBelowTheOutliers()
    {
        // N(0, 1) plus a few values at ±20σ: min/max would waste most of int8's 128 levels on them.
        var samples = Enumerable.Range(0, 20).Select(s => ObserverRun.Gaussian(10_000, s)).Append([20f, -20f, 19f]).ToArray();
        var (min, max) = ObserverRun.Range(new EntropyObserver(), samples);
        Assert.Equal(-max, min);
        Assert.InRange(max, 2.5f, 4.5f);
    }

    [Fact]
    public void PostReluDataIsNotClippedByItsZeroSpike()
    {
        // A ReLU output: 80 % exact zeros, the rest |N(0, 1)|. Counted in bin 0, the zeros pulled the
        // threshold down to its smallest candidate, max/16 (< 0.3 here); left out, the clip lands where
        // the half-normal tail thins out, as for the Gaussian above.
        var samples = Enumerable.Range(0, 20).Select(s => ObserverRun.Gaussian(10_000, s)
            .Select((v, i) => i % 5 == 0 ? MathF.Abs(v) : 0f).ToArray()).ToArray();
        var (min, max) = ObserverRun.Range(new EntropyObserver(), samples);
        Assert.Equal(0f, min);
        Assert.InRange(max, 2.5f, samples.Max(s => s.Max()));
    }

    [Fact]
    public void ClippedFractionCountsTheNonZeroValuesBeyondTheThreshold()
    {
        var samples = Enumerable.Range(0, 20).Select(s => ObserverRun.Gaussian(10_000, s)).Append([20f, -20f, 19f, 0f, 0f]).ToArray();
        var observer = new EntropyObserver();
        var range = ObserverRun.Range(observer, samples);
        float max = range.Max;
        var nonZero = samples.SelectMany(s => s).Where(v => v != 0).Select(MathF.Abs).ToArray();
        // The count is by bins: values within one bin (20/2048) of the threshold may land either side.
        float bin = 20f / 2048;
        double atLeast = nonZero.Count(v => v >= max + bin) / (double)nonZero.Length;
        double atMost = nonZero.Count(v => v >= max - bin) / (double)nonZero.Length;
        Assert.InRange(observer.ClippedFraction(range)!.Value, atLeast, atMost);
        Assert.True(atLeast > 0);
    }

    [Fact]
    public void AllZeroDataGivesTheZeroRange() =>
        Assert.Equal((0f, 0f), ObserverRun.Range(new EntropyObserver(), new float[100], new float[7]));

    [Fact]
    public void UniformDataKeepsItsWholeRange()
    {
        // A uniform histogram over 2048 bins merges exactly into 128 levels of 16: KL = 0 only at i = 2048.
        var counts = Enumerable.Repeat(5L, 2048).ToArray();
        Assert.Equal(2048, EntropyObserver.Threshold(counts, 128));
        var data = Enumerable.Range(0, 2048 * 4).Select(i => (i + 0.5f) / 4).ToArray();
        Assert.Equal((data.Min(), data.Max()), ObserverRun.Range(new EntropyObserver(), data));
    }

    [Fact]
    public void HandComputedSmallHistogram()
    {
        // 8 bins, 2 levels, h = [1, 3, 0, 0, 0, 0, 0, 1]; candidates i = 2 … 8.
        // i = 2: P = [1, 3+1], Q = [1, 3] (normalised by 5 and 4):
        //        KL = 0.2·ln(0.2/0.25) + 0.8·ln(0.8/0.75) ≈ 0.0070.
        // i = 3 … 7: P's last bin holds the outlier, but its level (bins i/2 … i−1) has no count: KL = ∞.
        // i = 8: level 0 (bins 0–3) spreads 4 over 2 non-zero bins, level 1 keeps 1: Q = [2, 2, 0, …, 1]:
        //        KL = 0.2·ln(0.2/0.4) + 0.6·ln(0.6/0.4) ≈ 0.1046. Least: i = 2.
        Assert.Equal(2, EntropyObserver.Threshold([1, 3, 0, 0, 0, 0, 0, 1], 2));
        // h = [4, 4, 0, …, 1]: at i = 8 each level spreads exactly (Q = P, KL = 0), so nothing is clipped.
        Assert.Equal(8, EntropyObserver.Threshold([4, 4, 0, 0, 0, 0, 0, 1], 2));
    }

    [Theory]
    [InlineData(1, 64, 8)]
    [InlineData(2, 300, 16)]
    [InlineData(3, 2048, 128)]
    public void ThresholdMatchesTheDefinitionComputedNaively(int seed, int bins, int levels)
    {
        // Sparse random histograms (zeros, a heavy head, a thin tail) against KL computed term by term.
        var rng = new Random(seed);
        var h = Enumerable.Range(0, bins).Select(j => rng.Next(4) == 0 ? 0L : rng.Next(1 + 1000 * (bins - j) / bins)).ToArray();
        int best = bins;
        double bestKl = double.PositiveInfinity;
        for (int i = levels; i <= bins; i++)
        {
            double kl = NaiveKl(h, i, levels);
            if (kl < bestKl) (bestKl, best) = (kl, i);
        }
        Assert.Equal(best, EntropyObserver.Threshold(h, levels));
    }

    private static double NaiveKl(long[] h, int i, int levels)
    {
        var p = h.Take(i).Select(c => (double)c).ToArray();
        p[i - 1] += h.Skip(i).Sum();
        var q = new double[i];
        for (int l = 0; l < levels; l++)
        {
            var members = Enumerable.Range(0, i).Where(j => j * levels / i == l).ToArray();
            double sum = members.Sum(j => (double)h[j]);
            int nonZero = members.Count(j => p[j] > 0);
            foreach (int j in members) q[j] = p[j] > 0 ? sum / nonZero : 0;
        }
        double pTotal = p.Sum(), qTotal = q.Sum(), kl = 0;
        for (int j = 0; j < i; j++)
        {
            if (p[j] == 0) continue;
            if (q[j] == 0) return double.PositiveInfinity;
            kl += p[j] / pTotal * Math.Log(p[j] / pTotal / (q[j] / qTotal));
        }
        return kl;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitBetweenWorkersGivesTheSameRange(int workers)
    {
        var samples = Enumerable.Range(0, 12).Select(s => ObserverRun.Gaussian(1000, s)).ToArray();
        Assert.Equal(ObserverRun.Range(new EntropyObserver(), samples), ObserverRun.Split(new EntropyObserver(), workers, samples));
    }
}
