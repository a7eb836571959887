using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Tests.Kernels;

/// <summary>The vectorised Quantize and requantizing copy against their one-value definitions: every length (vector bodies and tails), both types, and the awkward floats.</summary>
public class BoundaryKernelTests
{
    private static readonly float[] Awkward = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e30f, -1e30f, 2.5f, -2.5f, 3.5f, 0.49999997f, 127.5f, -128.5f, 255.5f];

    [Theory]
    [InlineData(false, 1, 37)]
    [InlineData(true, 1, 16)]
    [InlineData(false, 3, 50)]
    [InlineData(true, 3, 32)]
    [InlineData(true, 3, 47)]
    [InlineData(false, 3, 5)]
    [InlineData(true, 5, 7)]
    [InlineData(false, 16, 1)]
    // Whole blocks of 16 channels, with and without channels past the last block.
    [InlineData(false, 16, 7)]
    [InlineData(true, 35, 9)]
    [InlineData(false, 64, 13)]
    public void QuantizeMatchesTheDefinitionAndWritesChannelsLast(bool signed, int channels, int plane)
    {
        var rng = new Random(channels * 100 + plane);
        int count = 2 * channels * plane;
        float scale = 0.3f;
        float[] x = [.. Enumerable.Range(0, count).Select(i => i % 5 == 0 ? Awkward[i / 5 % Awkward.Length] * scale : (float)(rng.NextDouble() * 400 - 200))];
        var arena = new byte[4 * count + count];
        Buffer.BlockCopy(x, 0, arena, 0, 4 * count);
        var a = new Quantize.Args { Scale = scale, ZeroPoint = signed ? -3 : 9, X = 0, Y = 4 * count, Count = count, Channels = channels, Plane = plane, Signed = signed };
        Quantize.Run(a, arena);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < plane; i++)
                {
                    float q = MathF.Round(x[(n * channels + c) * plane + i] / scale, MidpointRounding.ToEven) + a.ZeroPoint;
                    int expected = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, signed ? -128 : 0, signed ? 127 : 255);
                    byte got = arena[a.Y + (n * plane + i) * channels + c];
                    Assert.Equal(expected, signed ? (sbyte)got : got);
                }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void RequantizingCopyMatchesStoreAtEveryLength(bool xSigned, bool ySigned)
    {
        var rng = new Random((xSigned ? 2 : 0) + (ySigned ? 1 : 0));
        for (int length = 0; length <= 40; length++)
            foreach (float m in new[] { 1f, 0.5f, 1.37f, 0.0078125f, 300f })
            {
                var x = new byte[length];
                rng.NextBytes(x);
                var y = new byte[length];
                int xZero = xSigned ? 3 : 130, yZero = ySigned ? -7 : 20, yMin = ySigned ? -100 : 20, yMax = ySigned ? 127 : 240;
                Requantization.Bytes(x, xSigned, xZero, m, y, ySigned, yZero, yMin, yMax);
                for (int i = 0; i < length; i++)
                {
                    int expected = Requantization.Store(((xSigned ? (sbyte)x[i] : x[i]) - xZero) * m, yZero, yMin, yMax);
                    Assert.Equal(expected, ySigned ? (sbyte)y[i] : y[i]);
                }
            }
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public void QAddMatchesTheDefinitionAtEveryLength(bool aSigned, bool bSigned, bool ySigned)
    {
        var rng = new Random((aSigned ? 4 : 0) + (bSigned ? 2 : 0) + (ySigned ? 1 : 0));
        for (int length = 0; length <= 40; length++)
            foreach (var (ma, mb) in new[] { (1f, 1f), (0.5f, 1.37f), (0.0078125f, 2.5f), (300f, 0.25f) })
            {
                var arena = new byte[3 * 64];
                rng.NextBytes(arena.AsSpan(0, 128));
                var a = new QAdd.Args
                {
                    Count = length, A = 0, B = 64, Y = 128, AZero = aSigned ? -3 : 130, BZero = bSigned ? 5 : 17, YZero = ySigned ? -7 : 20,
                    YMin = ySigned ? -100 : 20, YMax = ySigned ? 127 : 240, ASigned = aSigned, BSigned = bSigned, YSigned = ySigned, AMultiplier = ma, BMultiplier = mb,
                };
                QAdd.Run(a, arena);
                for (int i = 0; i < length; i++)
                {
                    float scaled = ((aSigned ? (sbyte)arena[i] : arena[i]) - a.AZero) * ma + ((bSigned ? (sbyte)arena[64 + i] : arena[64 + i]) - a.BZero) * mb;
                    Assert.Equal(Requantization.Store(scaled, a.YZero, a.YMin, a.YMax), ySigned ? (sbyte)arena[128 + i] : arena[128 + i]);
                }
            }
    }

    [Theory]
    [InlineData(false, 1, 37)]
    [InlineData(true, 3, 16)]
    [InlineData(false, 17, 50)]
    [InlineData(true, 16, 1)]
    [InlineData(true, 48, 5)]
    [InlineData(false, 35, 9)]
    public void DequantizeMatchesTheDefinitionAndReadsChannelsLast(bool signed, int channels, int plane)
    {
        var rng = new Random(channels * 100 + plane);
        int count = 2 * channels * plane, y = (count + 63) / 64 * 64;
        var arena = new byte[y + count * sizeof(float) + 64];
        rng.NextBytes(arena.AsSpan(0, count));
        var a = new Dequantize.Args { Scale = 0.037f, ZeroPoint = signed ? -5 : 131, X = 0, Y = y, Count = count, Channels = channels, Plane = plane, Signed = signed };
        Dequantize.Run(a, arena);
        var output = Arena.Floats(arena, y, count);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < plane; i++)
                {
                    int stored = n * channels * plane + i * channels + c;
                    float expected = ((signed ? (sbyte)arena[stored] : arena[stored]) - a.ZeroPoint) * a.Scale;
                    Assert.Equal(expected, output[(n * channels + c) * plane + i]);
                }
    }

    [Theory]
    [InlineData(false, false, 1, 49)]
    [InlineData(true, true, 16, 49)]
    [InlineData(false, true, 37, 9)]
    [InlineData(true, false, 64, 1)]
    public void QGlobalAveragePoolMatchesTheDefinition(bool xSigned, bool ySigned, int channels, int plane)
    {
        foreach (bool extreme in new[] { false, true })
        {
            var rng = new Random(channels * 10 + plane);
            int count = 2 * channels * plane, y = (count + 63) / 64 * 64;
            var arena = new byte[y + 2 * channels + 64];
            if (extreme) arena.AsSpan(0, count).Fill((byte)(xSigned ? 0x80 : 0xFF));
            else rng.NextBytes(arena.AsSpan(0, count));
            var a = new QGlobalAveragePool.Args
            {
                N = 2, C = channels, PlaneSize = plane, XZero = xSigned ? 3 : 120, YZero = ySigned ? -2 : 9, YMin = ySigned ? -128 : 0, YMax = ySigned ? 127 : 255,
                X = 0, Y = y, XSigned = xSigned, YSigned = ySigned, Multiplier = 1f / plane * 0.9f,
            };
            QGlobalAveragePool.Run(a, arena);
            for (int n = 0; n < 2; n++)
                for (int c = 0; c < channels; c++)
                {
                    int acc = 0;
                    for (int i = 0; i < plane; i++) acc += (xSigned ? (sbyte)arena[(n * plane + i) * channels + c] : arena[(n * plane + i) * channels + c]) - a.XZero;
                    Assert.Equal(Requantization.Store(acc * a.Multiplier, a.YZero, a.YMin, a.YMax), ySigned ? (sbyte)arena[y + n * channels + c] : arena[y + n * channels + c]);
                }
        }
    }
}
