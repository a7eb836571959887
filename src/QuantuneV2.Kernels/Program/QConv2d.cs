namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D convolution of docs/numerics.md (grouped and depthwise included), with the fused clamp and an
/// optional int8 residual Z (offset −1: none):
///   acc = Bias[oc] + Σ (x − XZero)·w over the taps inside the input (padding is real zero),
///   y   = clamp(round_half_even(float32(acc)·Multiplier[oc] [+ float32(z − ZZero)·ZMultiplier]) + YZero).
/// </summary>
public static partial class QConv2d
{
    public sealed class Args
    {
        public int N, C, H, W, OC, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, Group;
        public int XZero, YZero, YMin, YMax, ZZero;
        public bool XSigned, YSigned, ZSigned;
        public int X, Y, Z = -1;
        public float ZMultiplier;
        public sbyte[] Weights = [];
        public int[]? Bias;
        public float[] Multiplier = [];

        private Packed? _packed;

        /// <summary>The weights packed for the matrix-product path, made on first use.</summary>
        internal Packed PackedWeights => _packed ??= new Packed(this);
    }

    [ThreadStatic] private static int[]? t_acc;

    /// <summary>Groups of one take the packed matrix-product path on the best ISA (<see cref="Int8Dispatch"/>); grouped and depthwise ones the direct loops.</summary>
    public static void Run(Args a, Span<byte> arena)
    {
        if (a.Group == 1) RunPacked(a, arena, Int8Dispatch.Current);
        else RunDirect(a, arena);
    }

    internal static void RunDirect(Args a, Span<byte> arena)
    {
        int plane = a.OH * a.OW, cg = a.C / a.Group, mg = a.OC / a.Group, kv = a.KH * a.KW;
        var acc = t_acc is { } buffer && buffer.Length >= plane ? buffer : t_acc = new int[plane];
        for (int n = 0; n < a.N; n++)
            for (int oc = 0; oc < a.OC; oc++)
            {
                acc.AsSpan(0, plane).Fill(a.Bias is null ? 0 : a.Bias[oc]);
                for (int ic = 0; ic < cg; ic++)
                {
                    int xPlane = a.X + ((n * a.C) + oc / mg * cg + ic) * a.H * a.W;
                    for (int ky = 0; ky < a.KH; ky++)
                        for (int kx = 0; kx < a.KW; kx++)
                        {
                            int w = a.Weights[(oc * cg + ic) * kv + ky * a.KW + kx];
                            if (w == 0) continue;
                            // The output columns whose tap lands inside the input row.
                            int dx = kx * a.DW - a.PadLeft;
                            int ox0 = dx >= 0 ? 0 : (-dx + a.SW - 1) / a.SW;
                            int ox1 = Math.Min(a.OW, (a.W - 1 - dx) / a.SW + 1);
                            if (a.W - 1 - dx < 0) continue;
                            for (int oy = 0; oy < a.OH; oy++)
                            {
                                int iy = oy * a.SH - a.PadTop + ky * a.DH;
                                if ((uint)iy >= (uint)a.H) continue;
                                int row = xPlane + iy * a.W + dx, outRow = oy * a.OW;
                                for (int ox = ox0; ox < ox1; ox++)
                                    acc[outRow + ox] += (Arena.Read(arena, row + ox * a.SW, a.XSigned) - a.XZero) * w;
                            }
                        }
                }
                int yPlane = (n * a.OC + oc) * plane;
                float m = a.Multiplier[oc];
                for (int i = 0; i < plane; i++)
                {
                    StoreOutput(a, arena, yPlane + i, acc[i], m);
                }
            }
    }

    /// <summary>Output element <paramref name="index"/> (from the start of Y) from its accumulator: requantized, plus the residual when there is one.</summary>
    private static void StoreOutput(Args a, Span<byte> arena, int index, int acc, float multiplier)
    {
        float scaled = a.Z < 0 ? acc * multiplier : acc * multiplier + (Arena.Read(arena, a.Z + index, a.ZSigned) - a.ZZero) * a.ZMultiplier;
        Requantization.Write(arena, a.Y + index, Requantization.Store(scaled, a.YZero, a.YMin, a.YMax), a.YSigned);
    }
}
