using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

public class MinMaxObserverTests
{
    [Fact]
    public void ClippedFractionIsNotReported() =>
        Assert.Null(new MinMaxObserver().ClippedFraction((0f, 1f)));

    [Fact]
    public void ExactMinAndMaxOverSamples()
    {
        // Lengths 37 and 3 exercise both the vector body and the scalar tail.
        var a = Enumerable.Range(0, 37).Select(i => i * 0.25f - 2f).ToArray();
        Assert.Equal((-7.5f, 7f), ObserverRun.Range(new MinMaxObserver(), a, [3f, -7.5f, 1f]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void SplitBetweenWorkersGivesTheSameRange(int workers)
    {
        var samples = Enumerable.Range(0, 20).Select(s => ObserverRun.Gaussian(100, s)).ToArray();
        var expected = (samples.SelectMany(x => x).Min(), samples.SelectMany(x => x).Max());
        Assert.Equal(expected, ObserverRun.Split(new MinMaxObserver(), workers, samples));
    }

    [Fact]
    public void MergingPeersOfAnotherKindIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new MinMaxObserver().Merge(new PercentileObserver()));
        var twoPass = new PercentileObserver();
        var stale = twoPass.CreatePeer();
        twoPass.NextPass();
        Assert.Throws<ArgumentException>(() => twoPass.Merge(stale));
    }
}
