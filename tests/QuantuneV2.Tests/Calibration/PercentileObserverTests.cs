using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

public class PercentileObserverTests
{
    // 0, 1, …, 99 999 in 100 samples: the pth percentile is ≈ 999.99·p, bin width 99 999 / 2048 ≈ 48.8.
    private static readonly float[][] Uniform = Enumerable.Range(0, 100).Select(s => Enumerable.Range(s * 1000, 1000).Select(v => (float)v).ToArray()).ToArray();

    [Theory]
    [InlineData(99.0)]
    [InlineData(99.9)]
    [InlineData(95.0)]
    public void EachTailIsClippedWithinABinWidthOutside(double p)
    {
        var (min, max) = ObserverRun.Range(new PercentileObserver(p), Uniform);
        float width = 99_999f / 2048, lo = (float)(99_999 * (100 - p) / 100), hi = (float)(99_999 * p / 100);
        Assert.InRange(min, lo - width, lo);
        Assert.InRange(max, hi, hi + width);
    }

    [Theory]
    [InlineData(99.0, 0.02)]
    [InlineData(100.0, 0.0)]
    public void ClippedFractionIsWhatThePercentileLeavesOut(double p, double expected)
    {
        var observer = new PercentileObserver(p);
        var range = ObserverRun.Range(observer, Uniform);
        // Each tail is clipped within a bin (≈ 49 of 100 000 values) of its 1 %.
        Assert.InRange(observer.ClippedFraction(range)!.Value, expected - 2 * 49e-5, expected);
    }

    [Fact]
    public void HundredIsTheExactRange() =>
        Assert.Equal((0f, 99_999f), ObserverRun.Range(new PercentileObserver(100), Uniform));

    [Fact]
    public void TailsAreClippedIndependently()
    {
        // One far outlier on the right only: the right end is clipped, the left keeps the data's min.
        var data = ObserverRun.Gaussian(200_000, 7).Select(MathF.Abs).Append(1000f).ToArray();
        var (min, max) = ObserverRun.Range(new PercentileObserver(99.99), data);
        Assert.Equal(data.Min(), min);
        Assert.InRange(max, 3.5f, 4.5f);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitBetweenWorkersGivesTheSameRange(int workers) =>
        Assert.Equal(ObserverRun.Range(new PercentileObserver(99), Uniform), ObserverRun.Split(new PercentileObserver(99), workers, Uniform));

    [Fact]
    public void RangeBeforeTheSecondPassIsRefused()
    {
        var o = new PercentileObserver();
        o.Observe(0, [1f, 2f]);
        Assert.Throws<InvalidOperationException>(() => o.Range);
    }
}
