using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Core.Quantization;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Tests.Quantization;

/// <summary>
/// QConv and QGemm against the naive direct formula (one accumulator per output element, every tap
/// bounds-checked) written out here: bit for bit on random shapes, attributes and saturating values.
/// Each session runs twice on different inputs, so the kernels' reused buffers are exercised too.
/// </summary>
public class ReferenceKernelIdentityTests
{
    private sealed record Case(Tensor[] Runtime, string[] InputNames, KeyValuePair<string, Tensor>[] Constants, Attribute[] Attributes);

    private static Tensor RandomQuant(Random rng, DataType type, int[] dims)
    {
        int count = dims.Aggregate(1, (p, d) => p * d);
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return type == DataType.UInt8 ? new Tensor(type, dims, bytes) : new Tensor(type, dims, bytes.Select(b => (sbyte)b).ToArray());
    }

    private static (DataType Type, int Zero) RandomEncoding(Random rng) =>
        rng.Next(2) == 0 ? (DataType.UInt8, rng.Next(0, 256)) : (DataType.Int8, rng.Next(-128, 128));

    /// <summary>The output attributes and their meaning: random type, zero point and sometimes a clamp.</summary>
    private static (QuantizedOutput Output, Attribute[] Attributes) RandomOutput(Random rng)
    {
        var (type, zero) = RandomEncoding(rng);
        var qt = type == DataType.UInt8 ? QuantType.UInt8 : QuantType.Int8;
        int lo = qt.Min(), hi = qt.Max();
        if (rng.Next(3) == 0) { lo = rng.Next(qt.Min(), qt.Max() + 1); hi = rng.Next(lo, qt.Max() + 1); }
        return (new QuantizedOutput(zero, qt, lo, hi),
            [Attribute.Int("y_type", (long)type), Attribute.Int("y_zero_point", zero), Attribute.Int("y_min", lo), Attribute.Int("y_max", hi)]);
    }

    /// <summary>Small multipliers keep most outputs in range; large ones saturate.</summary>
    private static float[] RandomMultipliers(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.Next(4) == 0 ? (float)rng.NextDouble() : (float)(rng.NextDouble() * 0.01))];

    private static int[] Ints(Tensor t) => QuantTensor.Read(t);

    private static int[] RunTwice(string opType, Case first, Case second)
    {
        var node = new Node("n", opType, first.InputNames, ["y"], first.Attributes, OpRegistry.QuantuneDomain);
        var runtime = first.Runtime.Select((t, i) => new ValueInfo($"x{i}", t.Type));
        var graph = Graph.Create("t", new ModelInfo(), runtime, [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [node], first.Constants);
        var session = new Session(graph);
        var y1 = Ints(session.Run(first.Runtime)[0]);
        var y2 = Ints(session.Run(second.Runtime)[0]);
        return [.. y1, .. y2];
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 300)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QConvMatchesTheDirectFormula(int seed)
    {
        var rng = new Random(seed);
        int rank = rng.Next(1, 4), batch = rng.Next(1, 3);
        bool depthwise = rng.Next(4) == 0;
        int groups = depthwise ? rng.Next(1, 6) : rng.Next(1, 4), cg = depthwise ? 1 : rng.Next(1, 5), mg = depthwise ? 1 : rng.Next(1, 4);
        int c = cg * groups, m = mg * groups;
        var k = new int[rank]; var s = new int[rank]; var d = new int[rank]; var pb = new int[rank]; var pe = new int[rank]; var inSize = new int[rank]; var outSize = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            k[a] = rng.Next(1, rank == 3 ? 3 : 4);
            s[a] = rng.Next(1, 3);
            d[a] = rng.Next(1, 3);
            pb[a] = rng.Next(0, 3);
            pe[a] = rng.Next(0, 3);
            int span = d[a] * (k[a] - 1) + 1;
            inSize[a] = Math.Max(rng.Next(1, rank == 3 ? 6 : 10), span - pb[a] - pe[a]);
            outSize[a] = (inSize[a] + pb[a] + pe[a] - span) / s[a] + 1;
        }
        var (xType, xZero) = RandomEncoding(rng);
        var (output, outAttrs) = RandomOutput(rng);
        var wDims = new[] { m, cg }.Concat(k).ToArray();
        var w = RandomQuant(rng, DataType.Int8, wDims);
        int[]? bias = rng.Next(3) == 0 ? null : [.. Enumerable.Range(0, m).Select(_ => rng.Next(-100_000, 100_000))];
        var multiplier = RandomMultipliers(rng, m);
        bool hasResidual = rng.Next(3) == 0;
        var (zType, zZero) = RandomEncoding(rng);
        float zMultiplier = (float)rng.NextDouble() * 2;

        var xDims = new[] { batch, c }.Concat(inSize).ToArray();
        var yDims = new[] { batch, m }.Concat(outSize).ToArray();
        var attrs = new List<Attribute>(outAttrs)
        {
            Attribute.Int("group", groups), Attribute.IntList("kernel_shape", [.. k.Select(v => (long)v)]), Attribute.IntList("strides", [.. s.Select(v => (long)v)]),
            Attribute.IntList("dilations", [.. d.Select(v => (long)v)]), Attribute.IntList("pads", [.. pb.Concat(pe).Select(v => (long)v)]), Attribute.Int("x_zero_point", xZero),
        };
        if (hasResidual) attrs.AddRange([Attribute.Int("z_zero_point", zZero), Attribute.Float("z_multiplier", zMultiplier)]);
        var constants = new List<KeyValuePair<string, Tensor>> { KeyValuePair.Create("w", w), KeyValuePair.Create("m", Tensor.FromFloats(multiplier, m)) };
        if (bias is not null) constants.Add(KeyValuePair.Create("b", new Tensor(DataType.Int32, [m], bias)));
        string[] names = ["x0", "w", bias is null ? "" : "b", "m", .. hasResidual ? new[] { "x1" } : []];

        Case NewCase() => new(hasResidual ? [RandomQuant(rng, xType, xDims), RandomQuant(rng, zType, yDims)] : [RandomQuant(rng, xType, xDims)], names, [.. constants], [.. attrs]);
        var first = NewCase();
        var second = NewCase();
        var actual = RunTwice("QConv", first, second);

        // The direct formula, normalised to three spatial dims (leading dims of size 1).
        int[] N3(int[] v, int fill) => [.. Enumerable.Repeat(fill, 3 - rank), .. v];
        int[] in3 = N3(inSize, 1), out3 = N3(outSize, 1), k3 = N3(k, 1), s3 = N3(s, 1), d3 = N3(d, 1), p3 = N3(pb, 0);
        int[] Expected(Case run)
        {
            var x = Ints(run.Runtime[0]);
            var z = hasResidual ? Ints(run.Runtime[1]) : null;
            var wq = w.Span<sbyte>();
            var y = new List<int>();
            for (int n = 0; n < batch; n++)
                for (int oc = 0; oc < m; oc++)
                    for (int o0 = 0; o0 < out3[0]; o0++)
                        for (int o1 = 0; o1 < out3[1]; o1++)
                            for (int o2 = 0; o2 < out3[2]; o2++)
                            {
                                int acc = bias?[oc] ?? 0;
                                for (int ic = 0; ic < cg; ic++)
                                    for (int a = 0; a < k3[0]; a++)
                                        for (int b = 0; b < k3[1]; b++)
                                            for (int e = 0; e < k3[2]; e++)
                                            {
                                                int i0 = o0 * s3[0] - p3[0] + a * d3[0], i1 = o1 * s3[1] - p3[1] + b * d3[1], i2 = o2 * s3[2] - p3[2] + e * d3[2];
                                                bool inside = i0 >= 0 && i0 < in3[0] && i1 >= 0 && i1 < in3[1] && i2 >= 0 && i2 < in3[2];
                                                int channel = oc / mg * cg + ic;
                                                int q = inside ? x[(((n * c + channel) * in3[0] + i0) * in3[1] + i1) * in3[2] + i2] : xZero;
                                                acc += (q - xZero) * wq[(((oc * cg + ic) * k3[0] + a) * k3[1] + b) * k3[2] + e];
                                            }
                                y.Add(z is null ? output.Requantize(acc, multiplier[oc])
                                    : output.FromScaled((float)acc * multiplier[oc] + (float)(z[y.Count] - zZero) * zMultiplier));
                            }
            return [.. y];
        }
        Assert.Equal([.. Expected(first), .. Expected(second)], actual);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QGemmMatchesTheDirectFormula(int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 5), k = rng.Next(1, 70), n = rng.Next(1, 12);
        var (xType, xZero) = RandomEncoding(rng);
        var (output, outAttrs) = RandomOutput(rng);
        var w = RandomQuant(rng, DataType.Int8, [n, k]);
        int[]? bias = rng.Next(3) == 0 ? null : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-100_000, 100_000))];
        var multiplier = RandomMultipliers(rng, n);
        var constants = new List<KeyValuePair<string, Tensor>> { KeyValuePair.Create("w", w), KeyValuePair.Create("m", Tensor.FromFloats(multiplier, n)) };
        if (bias is not null) constants.Add(KeyValuePair.Create("b", new Tensor(DataType.Int32, [n], bias)));
        Attribute[] attrs = [.. outAttrs, Attribute.Int("x_zero_point", xZero)];
        Case NewCase() => new([RandomQuant(rng, xType, [m, k])], ["x0", "w", bias is null ? "" : "b", "m"], [.. constants], attrs);
        var first = NewCase();
        var second = NewCase();
        var actual = RunTwice("QGemm", first, second);

        int[] Expected(Case run)
        {
            var x = Ints(run.Runtime[0]);
            var wq = w.Span<sbyte>();
            var y = new int[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    int acc = bias?[j] ?? 0;
                    for (int p = 0; p < k; p++) acc += (x[i * k + p] - xZero) * wq[j * k + p];
                    y[i * n + j] = output.Requantize(acc, multiplier[j]);
                }
            return y;
        }
        Assert.Equal([.. Expected(first), .. Expected(second)], actual);
    }
}
