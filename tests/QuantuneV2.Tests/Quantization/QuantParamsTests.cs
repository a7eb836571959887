using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Tests.Quantization;

public class QuantParamsTests
{
    [Fact]
    public void UInt8RangeIsWidenedToZeroAndRounded()
    {
        var p = QuantParams.FromRange(-1f, 3f, QuantType.UInt8);
        Assert.Equal(4f / 255, p.Scale);
        Assert.Equal(64, p.ZeroPoint); // −(−1)/(4/255) = 63.75 → 64
        Assert.Equal(p.ZeroPoint, p.Quantize(0f));
        Assert.Equal(0f, p.Dequantize(p.ZeroPoint));
        var relu = QuantParams.FromRange(0.5f, 6f, QuantType.UInt8);
        Assert.Equal(0, relu.ZeroPoint);
        Assert.Equal(6f / 255, relu.Scale);
    }

    [Fact]
    public void Int8IsSymmetric()
    {
        var p = QuantParams.FromRange(-2f, 12.7f, QuantType.Int8);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(0.1f, p.Scale, 1e-7f);
        Assert.Equal(127, p.Quantize(100f));
        Assert.Equal(-20, p.Quantize(-2f));
        Assert.Equal(-128, QuantParams.FromRange(-1, 1, QuantType.Int8).Quantize(-1e9f));
    }

    [Fact]
    public void QuantizeRoundsHalfToEven()
    {
        var p = new QuantParams(0.2f, 10, QuantType.UInt8);
        Assert.Equal(12, p.Quantize(0.5f));     // 0.5/0.2 = 2.5 → 2, + 10
        Assert.Equal(14, p.Quantize(0.7f));     // 3.5 → 4
        Assert.Equal(0, p.Quantize(-100f));     // saturates
        Assert.Equal(255, p.Quantize(1e30f));
        Assert.Equal(10, p.Quantize(float.NaN));
    }

    [Fact]
    public void DegenerateRangesStayFinite()
    {
        Assert.Equal(new QuantParams(1f, 0, QuantType.UInt8), QuantParams.FromRange(0, 0, QuantType.UInt8));
        Assert.Equal(new QuantParams(1f, 0, QuantType.Int8), QuantParams.FromRange(0, 0, QuantType.Int8));
        Assert.Throws<ArgumentException>(() => QuantParams.FromRange(1, 0, QuantType.UInt8));
    }

    [Fact]
    public void WeightsArePerChannelSymmetric()
    {
        var w = Tensor.FromFloats([1f, -0.5f, 0.25f, 0f, 10f, -2.5f, 0f, 0f, 0f], 3, 3);
        var q = WeightQuantizer.Quantize(w, perChannel: true, reduceRange: false);
        Assert.Equal([1f / 127, 10f / 127, 1f], q.Scales);
        Assert.Equal(new sbyte[] { 127, -64, 32, 0, 127, -32, 0, 0, 0 }, q.Values); // −63.5 → −64, 31.75 → 32, −31.75 → −32
        var reduced = WeightQuantizer.Quantize(w, perChannel: false, reduceRange: true);
        Assert.Equal([10f / 63], reduced.Scales);
        Assert.Equal(63, reduced.Values[4]);
        Assert.Equal(6, reduced.Values[0]); // 1/(10/63) = 6.3
        Assert.Equal(-16, reduced.Values[5]); // −15.75
    }

    [Fact]
    public void BiasUsesTheAccumulatorScale()
    {
        var q = WeightQuantizer.Quantize(Tensor.FromFloats([1f, 2f], 2, 1), perChannel: true, reduceRange: false);
        var b = WeightQuantizer.QuantizeBias([0.5f, -1f, ], 0.01f, q);
        Assert.Equal([(int)Math.Round(0.5 / (0.01 * (1.0 / 127))), (int)Math.Round(-1 / (0.01 * (2.0 / 127)))], b);
        Assert.Equal([int.MaxValue], WeightQuantizer.QuantizeBias([1e30f], 1e-10f, WeightQuantizer.Quantize(Tensor.FromFloats([1f], 1, 1), true, false)));
    }

    [Fact]
    public void RequantizationIsExactlyTheDocumentedFormula()
    {
        float m = Requantizer.Multiplier(0.5f, 0.25f, 0.125f);
        Assert.Equal(1f, m);
        Assert.Equal(130, Requantizer.Apply(2, 1f, 128, QuantType.UInt8));
        Assert.Equal(255, Requantizer.Apply(int.MaxValue, 1f, 128, QuantType.UInt8));
        Assert.Equal(-128, Requantizer.Apply(int.MinValue, 1f, 0, QuantType.Int8));
        Assert.Equal(12, Requantizer.Apply(5, 2.5f, 0, QuantType.Int8));   // 12.5 → 12
        Assert.Equal(-12, Requantizer.Apply(-5, 2.5f, 0, QuantType.Int8)); // −12.5 → −12
        Assert.Equal(18, Requantizer.Apply(7, 2.5f, 0, QuantType.Int8));   // 17.5 → 18
    }
}
