namespace QuantuneV2.Kernels.Program;

/// <summary>The int8 2-D max pool over channels-last values: the largest stored value among each window's taps inside the input (type, scale and zero point kept).</summary>
public static class QMaxPool2d
{
    public sealed class Args
    {
        public int N, C, H, W, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, X, Y;
        public bool Signed;
    }

    public static void Run(Args a, Span<byte> arena)
    {
        int o = a.Y;
        for (int n = 0; n < a.N; n++)
            for (int oy = 0; oy < a.OH; oy++)
                for (int ox = 0; ox < a.OW; ox++)
                    for (int c = 0; c < a.C; c++)
                    {
                        int max = int.MinValue;
                        for (int ky = 0; ky < a.KH; ky++)
                        {
                            int iy = oy * a.SH - a.PadTop + ky * a.DH;
                            if ((uint)iy >= (uint)a.H) continue;
                            for (int kx = 0; kx < a.KW; kx++)
                            {
                                int ix = ox * a.SW - a.PadLeft + kx * a.DW;
                                if ((uint)ix < (uint)a.W) max = Math.Max(max, Arena.Read(arena, a.X + ((n * a.H + iy) * a.W + ix) * a.C + c, a.Signed));
                            }
                        }
                        Requantization.Write(arena, o++, Math.Clamp(max, a.Signed ? -128 : 0, a.Signed ? 127 : 255), a.Signed);
                    }
    }
}
