using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

public class MovingAverageMinMaxObserverTests
{
    // Per-sample (min, max): s0 (1, 5), s1 (−3, 2), s2 (0, 10). With c = 0.5, by hand:
    // min: 1 → 1 + 0.5·(−3 − 1) = −1 → −1 + 0.5·(0 + 1) = −0.5
    // max: 5 → 5 + 0.5·(2 − 5) = 3.5 → 3.5 + 0.5·(10 − 3.5) = 6.75
    private static readonly float[][] Samples = [[1f, 5f, 3f], [2f, -3f], [10f, 0f, 4f]];

    [Fact]
    public void AveragesInSampleOrder() =>
        Assert.Equal((-0.5f, 6.75f), ObserverRun.Range(new MovingAverageMinMaxObserver(0.5f), Samples));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitBetweenWorkersGivesTheSameRange(int workers) =>
        Assert.Equal((-0.5f, 6.75f), ObserverRun.Split(new MovingAverageMinMaxObserver(0.5f), workers, Samples));

    [Fact]
    public void DefaultConstantFollowsTheFormula()
    {
        var o = new MovingAverageMinMaxObserver();
        Assert.Equal(0.01f, o.AveragingConstant);
        float min = 1f, max = 5f;
        min += 0.01f * (-3f - min);
        max += 0.01f * (2f - max);
        min += 0.01f * (0f - min);
        max += 0.01f * (10f - max);
        Assert.Equal((min, max), ObserverRun.Range(o, Samples));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void ConstantOutsideUnitIntervalIsRefused(float c) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MovingAverageMinMaxObserver(c));
}
