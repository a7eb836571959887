using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D convolution of docs/numerics.md (grouped and depthwise included), with the fused clamp and an
/// optional int8 residual Z (offset −1: none). X, Y and Z are channels-last (NHWC, docs/kernels.md):
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
        /// <summary>Bytes from one output pixel to the next when Y lies inside a wider value (a Concat's output, written in place); 0: OC.</summary>
        public int YStride;
        public float ZMultiplier;
        public sbyte[] Weights = [];
        public int[]? Bias;
        public float[] Multiplier = [];

        /// <summary>The layouts the tool packed at build time (<see cref="Pack"/>, field by field); empty: packed from Weights and Bias on first use.</summary>
        public sbyte[] PackedWeights = [];
        public int[] FoldedBias = [], SignedFoldedBias = [];
        public short[] PairWeights = [], WidePairWeights = [], TapWeights = [];

        private Packed? _packed;

        internal int PixelStride => YStride > 0 ? YStride : OC;

        /// <summary>The weights packed for the matrix-product path.</summary>
        internal Packed PackedLayer => _packed ??= Packed.For(this);
    }

    /// <summary>
    /// Groups of one and depthwise convolutions take the packed path on the best ISA (<see cref="Int8Dispatch"/>), 3×3
    /// stride-1 ones Winograd where the dispatch says so; other grouped ones the direct loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        if (!IsPacked(a))
        {
            RunDirect(a, arena);
            return;
        }
        var isa = Int8Dispatch.Current;
#if KERNELS_X64
        if (Int8Dispatch.Winograd(isa) && a.PackedLayer.WinogradOutputTile != 0)
        {
            RunWinograd(a, arena);
            return;
        }
#endif
        RunPacked(a, arena, isa);
    }

    /// <summary>Whether a layer takes the packed path (groups of one and depthwise), whose weights <see cref="Pack"/> packs.</summary>
    public static bool IsPacked(Args a) => a.Group == 1 || IsDepthwise(a);

    public static bool IsDepthwise(Args a) => a.Group == a.C && a.OC == a.C && a.Group > 1;

    /// <summary>The definition, one output at a time: the oracle of the packed path's tests.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunDirect(Args a, Span<byte> arena)
    {
        int cg = a.C / a.Group, mg = a.OC / a.Group;
        for (int n = 0; n < a.N; n++)
            for (int oy = 0; oy < a.OH; oy++)
                for (int ox = 0; ox < a.OW; ox++)
                {
                    int pixel = (n * a.OH + oy) * a.OW + ox;
                    for (int oc = 0; oc < a.OC; oc++)
                    {
                        int acc = a.Bias is null ? 0 : a.Bias[oc], firstChannel = oc / mg * cg;
                        for (int ky = 0; ky < a.KH; ky++)
                        {
                            int iy = oy * a.SH - a.PadTop + ky * a.DH;
                            if ((uint)iy >= (uint)a.H) continue;
                            for (int kx = 0; kx < a.KW; kx++)
                            {
                                int ix = ox * a.SW - a.PadLeft + kx * a.DW;
                                if ((uint)ix >= (uint)a.W) continue;
                                int x = a.X + ((n * a.H + iy) * a.W + ix) * a.C + firstChannel;
                                for (int ic = 0; ic < cg; ic++)
                                    acc += (Arena.Read(arena, x + ic, a.XSigned) - a.XZero) * a.Weights[((oc * cg + ic) * a.KH + ky) * a.KW + kx];
                            }
                        }
                        StoreOutput(a, arena, pixel, oc, acc, a.Multiplier[oc]);
                    }
                }
    }

    /// <summary>Output channel <paramref name="oc"/> of a pixel from its accumulator: requantized, plus the residual when there is one.</summary>
    private static void StoreOutput(Args a, Span<byte> arena, int pixel, int oc, int acc, float multiplier)
    {
        float scaled = a.Z < 0 ? acc * multiplier : acc * multiplier + (Arena.Read(arena, a.Z + pixel * a.OC + oc, a.ZSigned) - a.ZZero) * a.ZMultiplier;
        Requantization.Write(arena, a.Y + pixel * a.PixelStride + oc, Requantization.Store(scaled, a.YZero, a.YMin, a.YMax), a.YSigned);
    }

    /// <summary>Where the vector epilogues store channel <paramref name="oc"/> of pixel <paramref name="first"/>; the next pixel is PixelStride further.</summary>
    private static unsafe byte* FirstOutput(Args a, byte* arena, int first, int oc) => arena + a.Y + (long)first * a.PixelStride + oc;

    /// <summary>Where they read its residual, null without one; Z is dense, so the next pixel is OC further.</summary>
    private static unsafe byte* FirstResidual(Args a, byte* arena, int first, int oc) => a.Z >= 0 ? arena + a.Z + (long)first * a.OC + oc : null;
}
