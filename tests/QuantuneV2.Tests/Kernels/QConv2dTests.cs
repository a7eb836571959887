using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Tests.Kernels;

/// <summary>
/// The packed int8 convolution on every ISA this machine has, against the direct loops (which the generated-model
/// tests hold to the integer reference executor): bit-identical outputs on random and worst-case inputs.
/// </summary>
public class QConv2dTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes() => new()
    {
        // C, H, W, OC, K, stride, dilation, pad, group
        { 1, 5, 5, 1, 1, 1, 1, 0, 1 },
        { 3, 7, 6, 17, 3, 1, 1, 1, 1 },
        { 16, 8, 8, 16, 3, 2, 1, 1, 1 },
        { 5, 9, 11, 33, 3, 1, 2, 2, 1 },
        { 32, 4, 4, 64, 1, 1, 1, 0, 1 },
        { 7, 6, 5, 15, 5, 2, 1, 2, 1 },
        { 64, 3, 3, 10, 3, 1, 1, 1, 1 },
        { 16, 9, 7, 16, 3, 1, 1, 1, 16 },
        { 19, 8, 9, 19, 3, 2, 1, 1, 19 },
        { 40, 5, 5, 40, 5, 1, 1, 2, 40 },
        { 3, 4, 4, 3, 1, 1, 1, 0, 3 },
        { 8, 6, 6, 16, 3, 1, 1, 1, 4 },
        { 4, 14, 14, 20, 3, 1, 1, 1, 1 },
        // Last tiles of one and two pixels (49 = 8·6 + 1, 20 = 3·6 + 2), which take the one-pixel micro-kernel.
        { 64, 7, 7, 32, 3, 1, 1, 1, 1 },
        { 20, 4, 5, 24, 1, 1, 1, 0, 1 },
        // A last tile of one pixel after four whole ones in the same call, over nine runs.
        { 16, 5, 5, 16, 3, 1, 1, 1, 1 },
        // Output rows of whole tiles, every window inside: the table's row-at-a-time fill, and its wrap to the next row.
        { 8, 3, 12, 16, 1, 1, 1, 0, 1 },
        { 4, 7, 25, 16, 3, 2, 1, 0, 1 },
        // Gathered windows (C not a multiple of 4): a 7×7 stem over several batches of tiles, one channel, and five columns.
        { 3, 20, 21, 16, 7, 2, 1, 3, 1 },
        { 1, 9, 9, 8, 3, 1, 1, 1, 1 },
        { 2, 6, 13, 20, 5, 1, 1, 0, 1 },
        // Winograd F(4×4) (from 16 channels, at least 40 tiles of 4×4 outputs): 16 channels; channels not a multiple
        // of 16 and a partial second block of 32 output channels; no padding; padding of 2; two batches of tile rows
        // (13 rows of 13 tiles, 8 per batch); the most channels in one sum (224) over two batches of two chunks each.
        // Then groups of 224 channels: 224 + 16 (227 channels); 224 + 32 with a partial second block; 224 + 224 + 64.
        { 16, 28, 29, 20, 3, 1, 1, 1, 1 },
        { 40, 26, 27, 40, 3, 1, 1, 1, 1 },
        { 36, 27, 26, 16, 3, 1, 1, 0, 1 },
        { 32, 26, 25, 48, 3, 1, 1, 2, 1 },
        { 32, 50, 49, 24, 3, 1, 1, 1, 1 },
        { 224, 50, 49, 24, 3, 1, 1, 1, 1 },
        { 227, 28, 28, 16, 3, 1, 1, 1, 1 },
        { 256, 26, 27, 40, 3, 1, 1, 1, 1 },
        { 512, 28, 28, 16, 3, 1, 1, 1, 1 },
        // Winograd F(2×2) (more channels, or too few tiles of 4×4 outputs; at least 40 tiles of 2×2): 48 channels at
        // 13×13; 115 channels; two batches (15 rows of 8 tiles, 12 per batch); 256 channels; the largest sums (1024 channels).
        { 48, 13, 13, 24, 3, 1, 1, 1, 1 },
        { 115, 18, 18, 16, 3, 1, 1, 1, 1 },
        { 128, 30, 16, 16, 3, 1, 1, 1, 1 },
        { 256, 20, 19, 33, 3, 1, 1, 1, 1 },
        { 1024, 16, 16, 16, 3, 1, 1, 1, 1 },
    };

    /// <summary>Every path this machine runs: each ISA, and those that take Winograd for 3×3 stride-1 layers without it too.</summary>
    public static IEnumerable<(Int8Isa Isa, bool Winograd)> Paths() =>
        Int8Dispatch.Supported.SelectMany(isa => Int8Dispatch.Winograd(isa) ? new[] { (isa, true), (isa, false) } : [(isa, false)]);

    [Fact]
    public void TheShapesCoverWinograd()
    {
        var tiles = Shapes().Select(row => ((ITheoryDataRow)row).GetData().Cast<int>().ToArray())
            .Select(v => QConv2d.WinogradTile(Layer(new Random(1), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], false, false, false))).ToArray();
        Assert.True(tiles.Count(m => m == 4) >= 9, $"only {tiles.Count(m => m == 4)} shapes take F(4×4)");
        Assert.True(tiles.Count(m => m == 2) >= 5, $"only {tiles.Count(m => m == 2)} shapes take F(2×2)");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryIsaMatchesTheDirectLoopsBitForBit(int c, int h, int w, int oc, int k, int stride, int dilation, int pad, int group)
    {
        foreach (var (xSigned, ySigned, residual, extreme, clamp) in new[]
        {
            (false, false, false, false, Clamp.TypeBounds), (true, true, true, false, Clamp.TypeBounds), (false, true, true, true, Clamp.TypeBounds),
            (true, false, false, true, Clamp.TypeBounds), (false, false, true, false, Clamp.Tight), (true, true, false, true, Clamp.Tight),
            (false, false, true, true, Clamp.HugeMultipliers), (true, true, false, false, Clamp.HugeMultipliers),
        })
        {
            var rng = new Random(c * 1000 + oc * 10 + k + (xSigned ? 7 : 0) + (extreme ? 13 : 0) + (int)clamp * 29);
            var a = Layer(rng, c, h, w, oc, k, stride, dilation, pad, group, xSigned, ySigned, extreme, clamp);
            int xBytes = 2 * c * h * w, yBytes = 2 * oc * a.OH * a.OW;
            if (residual)
            {
                a.Z = a.Y + 4096 * ((yBytes + 4095) / 4096);
                a.ZZero = 5;
                a.ZSigned = rng.Next(2) == 0;
                a.ZMultiplier = 0.7f;
            }
            var arena = new byte[(residual ? a.Z : a.Y) + 4096 * ((yBytes + 4095) / 4096)];
            for (int i = 0; i < xBytes; i++) arena[i] = extreme ? (byte)(xSigned ? 0x80 : 0xFF) : (byte)rng.Next(256);
            if (residual) for (int i = 0; i < yBytes; i++) arena[a.Z + i] = (byte)rng.Next(256);

            var expected = (byte[])arena.Clone();
            QConv2d.RunDirect(a, expected);
            foreach (var (isa, winograd) in Paths())
            {
                var actual = (byte[])arena.Clone();
                using (Int8Dispatch.Force(isa, winograd)) QConv2d.Run(a, actual);
                Assert.True(expected.AsSpan(a.Y, yBytes).SequenceEqual(actual.AsSpan(a.Y, yBytes)), $"{isa} (Winograd {winograd}) differs (x signed {xSigned}, residual {residual}, extreme {extreme}, {clamp})");
            }
        }
    }

    [Theory]
    [InlineData(16, 9, 9, 64, 3, 1, 1, 1, 128)]
    [InlineData(16, 6, 7, 20, 1, 1, 0, 1, 25)]
    [InlineData(3, 11, 11, 20, 3, 2, 0, 1, 41)]
    [InlineData(32, 5, 5, 32, 3, 1, 1, 32, 64)]
    [InlineData(8, 6, 6, 16, 3, 1, 1, 4, 19)]
    [InlineData(16, 28, 27, 24, 3, 1, 1, 1, 40)]
    [InlineData(32, 14, 13, 40, 3, 1, 1, 1, 56)]
    public void AnOutputWrittenInsideAWiderValueFillsOnlyItsChannels(int c, int h, int w, int oc, int k, int stride, int pad, int group, int yStride)
    {
        var rng = new Random(oc * 31 + yStride);
        var a = Layer(rng, c, h, w, oc, k, stride, 1, pad, group, xSigned: false, ySigned: true, extreme: false);
        int pixels = 2 * a.OH * a.OW, xBytes = 2 * c * h * w;
        a.Z = a.Y + 4096 * ((pixels * yStride + 4095) / 4096);
        (a.ZZero, a.ZMultiplier) = (3, 0.5f);
        var arena = new byte[a.Z + pixels * oc + 64];
        rng.NextBytes(arena.AsSpan(0, xBytes));
        rng.NextBytes(arena.AsSpan(a.Z, pixels * oc));
        var dense = (byte[])arena.Clone();
        QConv2d.RunDirect(a, dense);
        a.YStride = yStride;
        foreach (var (isa, winograd) in Paths())
        {
            var actual = (byte[])arena.Clone();
            actual.AsSpan(a.Y, pixels * yStride).Fill(0xA5);
            using (Int8Dispatch.Force(isa, winograd)) QConv2d.Run(a, actual);
            for (int p = 0; p < pixels; p++)
            {
                var row = actual.AsSpan(a.Y + p * yStride, yStride);
                Assert.True(dense.AsSpan(a.Y + p * oc, oc).SequenceEqual(row[..oc]), $"{isa} (Winograd {winograd}): pixel {p} differs");
                Assert.True(row[oc..].IndexOfAnyExcept((byte)0xA5) < 0, $"{isa} (Winograd {winograd}): pixel {p} wrote past its channels");
            }
        }
    }

    /// <summary>
    /// The output's clamp: the type's bounds (the epilogues saturate there), bounds inside them (as a fused ReLU6 or a
    /// ReLU over a nonzero zero point makes), or the type's bounds with a third of the multipliers so large that scaled
    /// accumulators pass ±2³¹, where converting them to int32 overflows.
    /// </summary>
    public enum Clamp { TypeBounds, Tight, HugeMultipliers }

    /// <summary>
    /// A layer of random weights and parameters. Extreme layers have weights of ±127, and every fourth output channel
    /// all +127 with a multiplier so small that its largest sums (9·C·255·127) land inside the output's range: a sum
    /// that lost its high bits shows.
    /// </summary>
    private static QConv2d.Args Layer(Random rng, int c, int h, int w, int oc, int k, int stride, int dilation, int pad, int group, bool xSigned, bool ySigned, bool extreme,
        Clamp clamp = Clamp.TypeBounds)
    {
        int taps = c / group * k * k;
        bool Uniform(int o) => extreme && o % 4 == 0;
        int oh = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1, ow = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        int yZero = ySigned ? -3 : 7;
        return new QConv2d.Args
        {
            C = c, H = h, W = w, OC = oc, OH = oh, OW = ow, KH = k, KW = k, SH = stride, SW = stride, DH = dilation, DW = dilation,
            PadTop = pad, PadLeft = pad, Group = group, N = 2,
            XZero = xSigned ? rng.Next(-128, 128) : rng.Next(0, 256), XSigned = xSigned,
            YZero = yZero, YSigned = ySigned,
            YMin = clamp == Clamp.Tight ? yZero + 2 : ySigned ? -128 : 0, YMax = clamp == Clamp.Tight ? yZero + 90 : ySigned ? 127 : 255,
            X = 0, Y = 4096 * ((2 * c * h * w + 4095) / 4096),
            Weights = [.. Enumerable.Range(0, oc * taps).Select(i => Uniform(i / taps) ? (sbyte)127 : extreme ? (sbyte)(rng.Next(2) == 0 ? -127 : 127) : (sbyte)rng.Next(-127, 128))],
            Bias = rng.Next(2) == 0 ? null : [.. Enumerable.Range(0, oc).Select(_ => rng.Next(-50_000, 50_000))],
            Multiplier = [.. Enumerable.Range(0, oc).Select(o => Uniform(o) ? 100f / (9 * 255 * 127 * taps / (k * k)) : (float)(rng.NextDouble() * (clamp == Clamp.HugeMultipliers && o % 3 == 0 ? 1e5 : 0.01)))],
        };
    }

    [Fact]
    public void WeightsPackedForAnotherArchitectureAreAClearError()
    {
        var a = new QConv2d.Args
        {
            N = 1, C = 16, H = 4, W = 4, OC = 16, OH = 4, OW = 4, KH = 3, KW = 3, SH = 1, SW = 1, DH = 1, DW = 1, PadTop = 1, PadLeft = 1, Group = 16,
            YMax = 255, Y = 256, Weights = new sbyte[16 * 9], Multiplier = new float[16],
        };
        var other = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64
            ? QConv2d.Architectures.X64 : QConv2d.Architectures.Arm64;
        var l = QConv2d.Pack(a, other);
        (a.FoldedBias, a.SignedFoldedBias, a.PairWeights, a.WidePairWeights, a.TapWeights) = (l.Bias, l.SignedBias, l.PairWeights, l.WidePairWeights, l.TapWeights);
        var e = Assert.Throws<InvalidOperationException>(() => QConv2d.Run(a, new byte[1024]));
        Assert.Contains("packed at build time for another architecture", e.Message);
    }
}
