using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Core.Quantization;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Tests.Quantization;

/// <summary>The integer reference convolution: hand-computed cases and random cases against a float simulation.</summary>
public class QConvTests
{
    private static Tensor Run(Tensor x, sbyte[] w, int[] wDims, int[]? bias, float[] multiplier, params Attribute[] attributes)
    {
        var constants = new List<KeyValuePair<string, Tensor>>
        {
            KeyValuePair.Create("w", new Tensor(DataType.Int8, wDims, w)),
            KeyValuePair.Create("m", Tensor.FromFloats(multiplier, multiplier.Length)),
        };
        if (bias is not null) constants.Add(KeyValuePair.Create("b", new Tensor(DataType.Int32, [bias.Length], bias)));
        return OneNodeGraph.Run("QConv", [x], constants, ["x0", "w", bias is null ? "" : "b", "m"], attributes);
    }

    [Fact]
    public void HandComputedCase()
    {
        var x = new Tensor(DataType.UInt8, [1, 1, 2, 2], new byte[] { 10, 20, 30, 40 });
        // acc = 5 + (0·1 + 10·(−1) + 20·2 + 30·0) = 35; 35·0.5 = 17.5 → 18 (half to even); + 100.
        var y = Run(x, [1, -1, 2, 0], [1, 1, 2, 2], [5], [0.5f], Attribute.Int("x_zero_point", 10), Attribute.Int("y_zero_point", 100));
        Assert.Equal([1, 1, 1, 1], y.Dims);
        Assert.Equal((byte)118, y.Span<byte>()[0]);
    }

    [Fact]
    public void ResidualIsAddedBeforeTheOnlyRounding()
    {
        var constants = new List<KeyValuePair<string, Tensor>>
        {
            KeyValuePair.Create("w", new Tensor(DataType.Int8, [1, 1, 1, 1], new sbyte[] { 3 })),
            KeyValuePair.Create("m", Tensor.FromFloats([0.25f], 1)),
        };
        // acc = (12 − 10)·3 = 6 → 6·0.25 = 1.5; plus residual (9 − 8)·0.5 = 0.5 gives 2 before the one rounding; + 50.
        var y = OneNodeGraph.Run("QConv", [OneNodeGraph.U8([1, 1, 1, 2], 12, 10), OneNodeGraph.U8([1, 1, 1, 2], 9, 11)], constants, ["x0", "w", "", "m", "x1"],
            Attribute.Int("x_zero_point", 10), Attribute.Int("y_zero_point", 50), Attribute.Int("z_zero_point", 8), Attribute.Float("z_multiplier", 0.5f));
        // second element: acc 0; residual (11 − 8)·0.5 = 1.5 → 2 (half to even) + 50.
        Assert.Equal([52, 52], QuantTensor.Read(y));
    }

    [Fact]
    public void PaddingIsRealZero()
    {
        // One pixel 7 with zero point 7 is real zero; every tap of a padded 3x3 reads zero too.
        var x = new Tensor(DataType.UInt8, [1, 1, 1, 1], new byte[] { 7 });
        var y = Run(x, [.. Enumerable.Repeat((sbyte)100, 9)], [1, 1, 3, 3], null, [1f],
            Attribute.Int("x_zero_point", 7), Attribute.Int("y_zero_point", 3), Attribute.IntList("pads", [1, 1, 1, 1]));
        Assert.Equal((byte)3, y.Span<byte>()[0]);
    }

    [Fact]
    public void SaturatesAndClampsAndTakesNegativeZeroPoints()
    {
        var x = new Tensor(DataType.Int8, [1, 1, 1, 2], new sbyte[] { 127, -128 });
        var attrs = new[] { Attribute.Int("x_zero_point", -5), Attribute.Int("y_zero_point", -10), Attribute.Int("y_type", (long)DataType.Int8) };
        // (127+5)·127 = 16764 → ·1 saturates to 127; (−128+5)·127 = −15621 → −128.
        var y = Run(x, [127], [1, 1, 1, 1], null, [1f], attrs);
        Assert.Equal(new sbyte[] { 127, -128 }, y.Span<sbyte>().ToArray());
        // A fused ReLU is the clamp y_min = y_zero_point.
        var relu = Run(x, [127], [1, 1, 1, 1], null, [0.001f], [.. attrs, Attribute.Int("y_min", -10)]);
        Assert.Equal(new sbyte[] { 7, -10 }, relu.Span<sbyte>().ToArray()); // 16.764 → 17 − 10; −15.6 − 10 → clamp
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MatchesFloatSimulationWithinOneStep(int seed)
    {
        var rng = new Random(seed);
        int groups = rng.Next(1, 3), cg = rng.Next(1, 4), mg = rng.Next(1, 4), k = rng.Next(1, 4), stride = rng.Next(1, 3), pad = rng.Next(0, k);
        int c = cg * groups, m = mg * groups, h = rng.Next(k, 9), wd = rng.Next(k, 9);
        var xIn = new QuantParams(0.05f, rng.Next(0, 256), QuantType.UInt8);
        var xq = new byte[c * h * wd];
        rng.NextBytes(xq);
        var wf = Tensor.FromFloats(Enumerable.Range(0, m * cg * k * k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray(), m, cg, k, k);
        var bf = Enumerable.Range(0, m).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var wq = WeightQuantizer.Quantize(wf, perChannel: true, reduceRange: false);
        var bq = WeightQuantizer.QuantizeBias(bf, xIn.Scale, wq);

        // Float simulation: dequantize, fp32 convolution with the quantized bias's real value, quantize.
        var xf = Tensor.FromFloats(xq.Select(v => xIn.Dequantize(v)).ToArray(), 1, c, h, wd);
        var conv = new Node("c", "Conv", ["x", "w", "b"], ["y"], [Attribute.Int("group", groups), Attribute.IntList("strides", [stride, stride]), Attribute.IntList("pads", [pad, pad, pad, pad])]);
        var graph = Graph.Create("f", new ModelInfo(), [new ValueInfo("x", xf.Type)], [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [conv],
        [
            KeyValuePair.Create("w", new Tensor(DataType.Float, wf.Dims, wq.Dequantize())),
            KeyValuePair.Create("b", Tensor.FromFloats(bq.Select((v, i) => (float)(v * (double)xIn.Scale * wq.ScaleOf(i))).ToArray(), m)),
        ]);
        var yf = new Session(graph).Run(xf).ToFloatArray();
        float lo = yf.Min(), hi = yf.Max();
        var yOut = QuantParams.FromRange(lo, hi, QuantType.UInt8);
        var multipliers = Enumerable.Range(0, m).Select(i => Requantizer.Multiplier(xIn.Scale, wq.ScaleOf(i), yOut.Scale)).ToArray();

        var y = Run(new Tensor(DataType.UInt8, [1, c, h, wd], xq), wq.Values, wf.Dims, bq, multipliers,
            Attribute.Int("group", groups), Attribute.IntList("strides", [stride, stride]), Attribute.IntList("pads", [pad, pad, pad, pad]),
            Attribute.Int("x_zero_point", xIn.ZeroPoint), Attribute.Int("y_zero_point", yOut.ZeroPoint));
        var yq = y.Span<byte>();
        Assert.Equal(yf.Length, yq.Length);
        int perChannel = yf.Length / m;
        for (int i = 0; i < yf.Length; i++)
            Assert.True(Math.Abs(yq[i] - yOut.Quantize(yf[i])) <= 1, $"element {i}: int8 {yq[i]}, float simulation {yOut.Quantize(yf[i])} (channel {i / perChannel})");
    }
}
