using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Tests.Kernels;

/// <summary>The int8 max pool against the definition computed here, on channels-last values: vector and tail channels, pads, strides, dilations, ceil mode, both types.</summary>
public class QMaxPool2dTests
{
    [Theory]
    [InlineData(1, 5, 5, 3, 2, 1, 1, false)]
    [InlineData(16, 8, 7, 3, 2, 1, 1, true)]
    [InlineData(35, 9, 9, 3, 2, 1, 0, false)]
    [InlineData(64, 6, 6, 2, 2, 1, 0, true)]
    [InlineData(33, 7, 8, 3, 1, 2, 2, true)]
    [InlineData(48, 7, 7, 3, 2, 1, 1, false)]
    [InlineData(64, 8, 10, 3, 2, 1, 0, false, true)]
    [InlineData(17, 6, 6, 2, 3, 1, 1, true, true)]
    public void MatchesTheDefinition(int c, int h, int w, int k, int stride, int dilation, int pad, bool signed, bool ceil = false)
    {
        // Ceil mode adds a last window that reaches past the input and its padding.
        int span = dilation * (k - 1) + 1, round = ceil ? stride - 1 : 0;
        int oh = (h + 2 * pad - span + round) / stride + 1, ow = (w + 2 * pad - span + round) / stride + 1;
        var a = new QMaxPool2d.Args
        {
            N = 2, C = c, H = h, W = w, OH = oh, OW = ow, KH = k, KW = k, SH = stride, SW = stride, DH = dilation, DW = dilation,
            PadTop = pad, PadLeft = pad, X = 0, Y = 2 * c * h * w, Signed = signed,
        };
        var arena = new byte[a.Y + 2 * c * oh * ow];
        new Random(c * 31 + k).NextBytes(arena.AsSpan(0, a.Y));
        QMaxPool2d.Run(a, arena);
        for (int n = 0; n < 2; n++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int max = int.MinValue;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - pad + ky * dilation, ix = ox * stride - pad + kx * dilation;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                byte v = arena[((n * h + iy) * w + ix) * c + ch];
                                max = Math.Max(max, signed ? (sbyte)v : v);
                            }
                        byte got = arena[a.Y + ((n * oh + oy) * ow + ox) * c + ch];
                        Assert.Equal(max, signed ? (sbyte)got : got);
                    }
    }
}
