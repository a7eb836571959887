using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using static QuantuneV2.Tests.Quantization.OneNodeGraph;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Tests.Quantization;

/// <summary>Hand-computed cases and float simulations for the int8 reference ops besides QConv.</summary>
public class QuantizedOpTests
{
    private static int[] Values(Tensor t) => QuantTensor.Read(t);

    [Fact]
    public void QGemmHandComputed()
    {
        // x = [[12, 14]] − 10 = [2, 4]; w = [[1, 2], [−3, 0]]; acc = [1 + 10, −6 − 1] = [11, −7].
        var y = Run("QGemm", [U8([1, 2], 12, 14)],
            [KeyValuePair.Create("w", I8([2, 2], 1, 2, -3, 0)), KeyValuePair.Create("b", new Tensor(DataType.Int32, [2], new[] { 1, -1 })), KeyValuePair.Create("m", Tensor.FromFloats([0.5f, 2f], 2))],
            ["x0", "w", "b", "m"], Attribute.Int("x_zero_point", 10), Attribute.Int("y_zero_point", 20));
        Assert.Equal([26, 6], Values(y)); // 5.5 → 6 (half to even) + 20; −14 + 20
    }

    [Fact]
    public void QAddRescalesBothOperands()
    {
        var y = Run("QAdd", [U8([3], 10, 20, 255), U8([3], 5, 5, 255)], [], ["x0", "x1"],
            Attribute.Int("a_zero_point", 10), Attribute.Int("b_zero_point", 5),
            Attribute.Float("a_multiplier", 0.5f), Attribute.Float("b_multiplier", 0.25f), Attribute.Int("y_zero_point", 100));
        // (0, 10·0.5 = 5, 245·0.5 + 250·0.25 = 185 → saturates at 255)
        Assert.Equal([100, 105, 255], Values(y));
    }

    [Fact]
    public void QAddFusedReluClampsAtTheZeroPoint()
    {
        var y = Run("QAdd", [I8([2], -50, 50), I8([2], 0, 0)], [], ["x0", "x1"],
            Attribute.Float("a_multiplier", 1f), Attribute.Float("b_multiplier", 1f), Attribute.Int("y_type", (long)DataType.Int8), Attribute.Int("y_min", 0));
        Assert.Equal([0, 50], Values(y));
    }

    [Fact]
    public void QConcatCopiesOrRequantizes()
    {
        var y = Run("QConcat", [U8([1, 1, 2], 1, 2), U8([1, 2, 2], 10, 20, 30, 40)], [], ["x0", "x1"],
            Attribute.Int("axis", 1), Attribute.IntList("input_zero_points", [0, 10]), Attribute.FloatList("input_multipliers", [1f, 0.5f]));
        Assert.Equal([1, 2, 0, 5, 10, 15], Values(y));
    }

    [Fact]
    public void QMaxPoolKeepsTheEncoding()
    {
        var y = Run("QMaxPool", [I8([1, 1, 2, 3], -5, 7, -128, 3, 3, 127)], [], ["x0"],
            Attribute.IntList("kernel_shape", [2, 2]), Attribute.IntList("strides", [1, 1]));
        Assert.Equal(DataType.Int8, y.DataType);
        Assert.Equal([7, 127], Values(y));
    }

    [Fact]
    public void QGlobalAveragePoolHandComputed()
    {
        // Plane sums (−2 + 0 + 2 + 4 = 4; 4 · 1.25 = 5) with x_zp 3, y_zp 1.
        var y = Run("QGlobalAveragePool", [U8([1, 2, 2, 2], 1, 3, 5, 7, 3, 3, 3, 3)], [], ["x0"],
            Attribute.Int("x_zero_point", 3), Attribute.Float("multiplier", 1.25f), Attribute.Int("y_zero_point", 1));
        Assert.Equal([1, 2, 1, 1], y.Dims);
        Assert.Equal([6, 1], Values(y));
    }

    [Fact]
    public void QAveragePoolDividesByThePadSemanticsCount()
    {
        // x − 10 = [2, 4, 10]; windows [−1, 0] and [1, 2]: sums 2 and 14 over 1 (2 with pads) and 2 taps.
        // multipliers[count − 1] = 1/count (s_x = s_y); y_zp 3.
        Tensor Pool(long includePad, params Attribute[] geometry) => Run("QAveragePool", [U8([1, 1, 3], 12, 14, 20)], [], ["x0"],
            [.. geometry, Attribute.Int("count_include_pad", includePad), Attribute.Int("x_zero_point", 10),
             Attribute.FloatList("multipliers", [1f, 0.5f]), Attribute.Int("y_zero_point", 3)]);
        Attribute[] padded = [Attribute.IntList("kernel_shape", [2]), Attribute.IntList("strides", [2]), Attribute.IntList("pads", [1, 1])];
        Assert.Equal([5, 10], Values(Pool(0, padded)));  // 2/1 = 2; 14/2 = 7
        Assert.Equal([4, 10], Values(Pool(1, padded)));  // 2/2 = 1; 14/2 = 7
        // ceil_mode: the last window [2, 3] overhangs the input; the overhang never counts, pads or not.
        Attribute[] ceil = [Attribute.IntList("kernel_shape", [2]), Attribute.IntList("strides", [2]), Attribute.Int("ceil_mode", 1)];
        Assert.Equal([6, 13], Values(Pool(0, ceil)));    // 6/2 = 3; 10/1 = 10
        Assert.Equal([6, 13], Values(Pool(1, ceil)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QAveragePoolMatchesFloatSimulationWithinOneStep(int seed)
    {
        var rng = new Random(seed);
        int c = rng.Next(1, 4), h = rng.Next(3, 10), w = rng.Next(3, 10);
        long[] k = [rng.Next(1, 4), rng.Next(1, 4)];
        long[] strides = [rng.Next(1, 3), rng.Next(1, 3)];
        long[] pads = [rng.Next(0, (int)k[0]), rng.Next(0, (int)k[1]), rng.Next(0, (int)k[0]), rng.Next(0, (int)k[1])];
        Attribute[] geometry = [Attribute.IntList("kernel_shape", k), Attribute.IntList("strides", strides), Attribute.IntList("pads", pads),
            Attribute.Int("ceil_mode", rng.Next(2)), Attribute.Int("count_include_pad", rng.Next(2))];
        var px = new QuantParams((float)(rng.NextDouble() * 0.1 + 0.001), rng.Next(256), QuantType.UInt8);
        var q = Enumerable.Range(0, c * h * w).Select(_ => rng.Next(256)).ToArray();

        // Float simulation: dequantize, fp32 AveragePool, quantize to the measured output range.
        var pooled = Run("AveragePool", [Tensor.FromFloats(q.Select(v => px.Dequantize(v)).ToArray(), 1, c, h, w)], [], ["x0"], geometry).ToFloatArray();
        var py = QuantParams.FromRange(pooled.Min(), pooled.Max(), QuantType.UInt8);
        float[] multipliers = [.. Enumerable.Range(1, (int)(k[0] * k[1])).Select(count => (float)((double)px.Scale / ((double)py.Scale * count)))];
        var y = Values(Run("QAveragePool", [U8([1, c, h, w], q)], [], ["x0"],
            [.. geometry, Attribute.Int("x_zero_point", px.ZeroPoint), Attribute.FloatList("multipliers", multipliers), Attribute.Int("y_zero_point", py.ZeroPoint)]));
        Assert.Equal(pooled.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - py.Quantize(pooled[i])) <= 1, $"element {i}: {y[i]} vs {py.Quantize(pooled[i])}");
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QAddMatchesFloatSimulationWithinOneStep(int seed)
    {
        var rng = new Random(seed);
        var pa = new QuantParams((float)(rng.NextDouble() * 0.1 + 0.001), rng.Next(256), QuantType.UInt8);
        var pb = new QuantParams((float)(rng.NextDouble() * 0.1 + 0.001), rng.Next(256), QuantType.UInt8);
        var a = Enumerable.Range(0, 64).Select(_ => rng.Next(256)).ToArray();
        var b = Enumerable.Range(0, 64).Select(_ => rng.Next(256)).ToArray();
        var sums = a.Zip(b, (x, z) => pa.Dequantize(x) + pb.Dequantize(z)).ToArray();
        var py = QuantParams.FromRange(sums.Min(), sums.Max(), QuantType.UInt8);
        var y = Run("QAdd", [U8([64], a), U8([64], b)], [], ["x0", "x1"],
            Attribute.Int("a_zero_point", pa.ZeroPoint), Attribute.Int("b_zero_point", pb.ZeroPoint),
            Attribute.Float("a_multiplier", pa.Scale / py.Scale), Attribute.Float("b_multiplier", pb.Scale / py.Scale), Attribute.Int("y_zero_point", py.ZeroPoint));
        var q = Values(y);
        for (int i = 0; i < 64; i++) Assert.True(Math.Abs(q[i] - py.Quantize(sums[i])) <= 1, $"element {i}: {q[i]} vs {py.Quantize(sums[i])}");
    }
}
