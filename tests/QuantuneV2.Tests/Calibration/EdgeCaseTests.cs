using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

/// <summary>The same edge cases for every method, through the factory.</summary>
public class EdgeCaseTests
{
    public static TheoryData<CalibrationMethod> Methods() => new(Enum.GetValues<CalibrationMethod>());

    [Theory]
    [MemberData(nameof(Methods))]
    public void AllZeroTensorGivesZeroRange(CalibrationMethod method) =>
        Assert.Equal((0f, 0f), ObserverRun.Range(RangeObservers.Create(method), new float[100], new float[7]));

    [Theory]
    [MemberData(nameof(Methods))]
    public void SingleValueGivesThatValue(CalibrationMethod method)
    {
        Assert.Equal((3.5f, 3.5f), ObserverRun.Range(RangeObservers.Create(method), [3.5f]));
        Assert.Equal((-2f, -2f), ObserverRun.Range(RangeObservers.Create(method), [-2f], [-2f, -2f]));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NoSamplesGivesZeroRange(CalibrationMethod method) =>
        Assert.Equal((0f, 0f), ObserverRun.Range(RangeObservers.Create(method)));

    [Theory]
    [MemberData(nameof(Methods))]
    public void NonFiniteValuesAreIgnoredAndCounted(CalibrationMethod method)
    {
        var o = RangeObservers.Create(method, percentile: 100);
        var noisy = Enumerable.Range(0, 21).Select(i => (float)i - 10).Concat([float.NaN, float.PositiveInfinity, float.NegativeInfinity]).ToArray();
        var (min, max) = ObserverRun.Range(o, noisy, [float.NaN]);
        Assert.Equal(4, o.NonFiniteCount);
        Assert.True(float.IsFinite(min) && float.IsFinite(max));
        Assert.InRange(min, -10f, 0f);
        Assert.InRange(max, 0f, 10f);
        if (method != CalibrationMethod.Entropy) Assert.Equal((-10f, 10f), (min, max));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void OnlyNonFiniteValuesGiveZeroRange(CalibrationMethod method)
    {
        var o = RangeObservers.Create(method);
        Assert.Equal((0f, 0f), ObserverRun.Range(o, [float.NaN, float.PositiveInfinity]));
        Assert.Equal(2, o.NonFiniteCount);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void StreamingObserversDoNotAllocatePerSample(CalibrationMethod method)
    {
        // Memory independent of the sample count: after warm-up, observing allocates nothing in either pass.
        var o = RangeObservers.Create(method);
        var sample = ObserverRun.Gaussian(4096, 1);
        for (int pass = 0; pass < o.Passes; pass++)
        {
            if (pass > 0) o.NextPass();
            o.Observe(0, sample);
            // The least of five batches: a tier-up landing inside one batch can allocate on this thread (the
            // runtime's), while an allocation per sample shows in all five.
            long least = long.MaxValue;
            for (int batch = 0, next = 1; batch < 5; batch++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 200; i++) o.Observe(next++, sample);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
        }
        if (o is HistogramObserver h) Assert.Equal(2048, h.Histogram!.Counts.Length);
    }
}
