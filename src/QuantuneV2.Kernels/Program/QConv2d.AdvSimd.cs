using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on arm64 without the dot-product extension. A weight vector holds 4 channels × 4 reduction bytes;
    /// SMULL / SMULL2 multiply it by the pixel's 4 bytes broadcast (s8 × s8 into s16, exact: |−128·−128| &lt; 2¹⁵) and
    /// SADALP adds each pair of products into an int32, so every channel keeps two partial sums (k0+k1, k2+k3) that
    /// ADDP joins once at the end. Activations are taken as int8, as in <see cref="MultiplyDp"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAdvSimd(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        uint f = flip * 0x01010101u;
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first, rows += runs * Tile)
        {
            // Two pixels at a time keep their 16 accumulators, 4 weight vectors and 2 broadcasts in the 32 registers.
            for (int j = 0; j < Tile; j += 2)
            {
                Vector128<int> p00 = default, p01 = default, p02 = default, p03 = default, p04 = default, p05 = default, p06 = default, p07 = default;
                Vector128<int> p10 = default, p11 = default, p12 = default, p13 = default, p14 = default, p15 = default, p16 = default, p17 = default;
                sbyte* wg = w;
                byte** r = rows;
                for (int run = 0; run < runs; run++, r += Tile)
                {
                    byte* x0 = r[j], x1 = r[j + 1];
                    for (int c = 0; c < runBytes; c += 4, wg += 4 * Block)
                    {
                        var w0 = AdvSimd.LoadVector128(wg);
                        var w1 = AdvSimd.LoadVector128(wg + 16);
                        var w2 = AdvSimd.LoadVector128(wg + 32);
                        var w3 = AdvSimd.LoadVector128(wg + 48);
                        var b = Vector128.Create(*(uint*)(x0 + c) ^ f).AsSByte();
                        p00 = AdvSimd.AddPairwiseWideningAndAdd(p00, AdvSimd.MultiplyWideningLower(b.GetLower(), w0.GetLower()));
                        p01 = AdvSimd.AddPairwiseWideningAndAdd(p01, AdvSimd.MultiplyWideningUpper(b, w0));
                        p02 = AdvSimd.AddPairwiseWideningAndAdd(p02, AdvSimd.MultiplyWideningLower(b.GetLower(), w1.GetLower()));
                        p03 = AdvSimd.AddPairwiseWideningAndAdd(p03, AdvSimd.MultiplyWideningUpper(b, w1));
                        p04 = AdvSimd.AddPairwiseWideningAndAdd(p04, AdvSimd.MultiplyWideningLower(b.GetLower(), w2.GetLower()));
                        p05 = AdvSimd.AddPairwiseWideningAndAdd(p05, AdvSimd.MultiplyWideningUpper(b, w2));
                        p06 = AdvSimd.AddPairwiseWideningAndAdd(p06, AdvSimd.MultiplyWideningLower(b.GetLower(), w3.GetLower()));
                        p07 = AdvSimd.AddPairwiseWideningAndAdd(p07, AdvSimd.MultiplyWideningUpper(b, w3));
                        b = Vector128.Create(*(uint*)(x1 + c) ^ f).AsSByte();
                        p10 = AdvSimd.AddPairwiseWideningAndAdd(p10, AdvSimd.MultiplyWideningLower(b.GetLower(), w0.GetLower()));
                        p11 = AdvSimd.AddPairwiseWideningAndAdd(p11, AdvSimd.MultiplyWideningUpper(b, w0));
                        p12 = AdvSimd.AddPairwiseWideningAndAdd(p12, AdvSimd.MultiplyWideningLower(b.GetLower(), w1.GetLower()));
                        p13 = AdvSimd.AddPairwiseWideningAndAdd(p13, AdvSimd.MultiplyWideningUpper(b, w1));
                        p14 = AdvSimd.AddPairwiseWideningAndAdd(p14, AdvSimd.MultiplyWideningLower(b.GetLower(), w2.GetLower()));
                        p15 = AdvSimd.AddPairwiseWideningAndAdd(p15, AdvSimd.MultiplyWideningUpper(b, w2));
                        p16 = AdvSimd.AddPairwiseWideningAndAdd(p16, AdvSimd.MultiplyWideningLower(b.GetLower(), w3.GetLower()));
                        p17 = AdvSimd.AddPairwiseWideningAndAdd(p17, AdvSimd.MultiplyWideningUpper(b, w3));
                    }
                }
                // Each accumulator holds 2 channels × (k0·w0 + k1·w1, k2·w2 + k3·w3): ADDP adds the halves per channel.
                StoreBlock(acc + j * Block, AdvSimd.Arm64.AddPairwise(p00, p01), AdvSimd.Arm64.AddPairwise(p02, p03),
                    AdvSimd.Arm64.AddPairwise(p04, p05), AdvSimd.Arm64.AddPairwise(p06, p07));
                StoreBlock(acc + (j + 1) * Block, AdvSimd.Arm64.AddPairwise(p10, p11), AdvSimd.Arm64.AddPairwise(p12, p13),
                    AdvSimd.Arm64.AddPairwise(p14, p15), AdvSimd.Arm64.AddPairwise(p16, p17));
            }
        }
    }

    /// <summary>
    /// The depthwise micro-kernel on arm64 (both paths): 16 channels from <paramref name="first"/> for each pixel of the
    /// tile. Each tap's 16 input bytes widen to s16 and SMLAL / SMLAL2 multiply-add them with that tap's s16 weights
    /// (<see cref="Packed.TapWeights"/>) into 4 int32 accumulators, in channel order. Inputs keep their own sign.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseAdvSimd(byte** rows, int taps, int first, short* w, int* acc, bool signed)
    {
        for (int j = 0; j < Tile; j++)
        {
            Vector128<int> a0 = default, a1 = default, a2 = default, a3 = default;
            short* wt = w;
            for (int tap = 0; tap < taps; tap++, wt += Block)
            {
                var x = AdvSimd.LoadVector128(rows[tap * Tile + j] + first);
                Vector128<short> low, high;
                if (signed) (low, high) = Vector128.Widen(x.AsSByte());
                else (low, high) = (Vector128.WidenLower(x).AsInt16(), Vector128.WidenUpper(x).AsInt16());
                var w0 = AdvSimd.LoadVector128(wt);
                var w1 = AdvSimd.LoadVector128(wt + 8);
                a0 = AdvSimd.MultiplyWideningLowerAndAdd(a0, low.GetLower(), w0.GetLower());
                a1 = AdvSimd.MultiplyWideningUpperAndAdd(a1, low, w0);
                a2 = AdvSimd.MultiplyWideningLowerAndAdd(a2, high.GetLower(), w1.GetLower());
                a3 = AdvSimd.MultiplyWideningUpperAndAdd(a3, high, w1);
            }
            StoreBlock(acc + j * Block, a0, a1, a2, a3);
        }
    }

    /// <summary>
    /// The requantizing epilogue of one block of a tile on 128-bit vectors (the arm64 paths), bit-identical to
    /// <see cref="StoreOutput"/> for the reasons <see cref="Requantization.Round"/> gives; 16 output bytes per pixel
    /// in one store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EpilogueVector128(Args a, byte* arena, int[] foldedBias, float[] multipliers, int* acc, int first, int count, int block)
    {
        int oc = block * Block, valid = Math.Min(Block, a.OC - oc), stride = a.PixelStride;
        var lo = Vector128.Create((float)(a.YMin - a.YZero));
        var hi = Vector128.Create((float)(a.YMax - a.YZero));
        var yZero = Vector128.Create(a.YZero);
        var zZero = Vector128.Create(a.ZZero);
        var zMultiplier = Vector128.Create(a.ZMultiplier);
        var bias0 = Vector128.Create(foldedBias.AsSpan(oc, 4));
        var bias1 = Vector128.Create(foldedBias.AsSpan(oc + 4, 4));
        var bias2 = Vector128.Create(foldedBias.AsSpan(oc + 8, 4));
        var bias3 = Vector128.Create(foldedBias.AsSpan(oc + 12, 4));
        var m0 = Vector128.Create(multipliers.AsSpan(oc, 4));
        var m1 = Vector128.Create(multipliers.AsSpan(oc + 4, 4));
        var m2 = Vector128.Create(multipliers.AsSpan(oc + 8, 4));
        var m3 = Vector128.Create(multipliers.AsSpan(oc + 12, 4));
        // Walked by pointers held in locals: the loop's byte stores would make the JIT reload every field of a.
        byte* y = FirstOutput(a, arena, first, oc), z = FirstResidual(a, arena, first, oc);
        int zStride = a.OC;
        bool zSigned = a.ZSigned;
        for (int* pixel = acc, end = acc + count * Block; pixel < end; pixel += Block, y += stride)
        {
            var s0 = Vector128.ConvertToSingle(Vector128.Load(pixel) + bias0) * m0;
            var s1 = Vector128.ConvertToSingle(Vector128.Load(pixel + 4) + bias1) * m1;
            var s2 = Vector128.ConvertToSingle(Vector128.Load(pixel + 8) + bias2) * m2;
            var s3 = Vector128.ConvertToSingle(Vector128.Load(pixel + 12) + bias3) * m3;
            if (z != null)
            {
                var (z0, z1, z2, z3) = Requantization.Widen(Vector128.Load(z), zSigned);
                z += zStride;
                s0 += Vector128.ConvertToSingle(z0 - zZero) * zMultiplier;
                s1 += Vector128.ConvertToSingle(z1 - zZero) * zMultiplier;
                s2 += Vector128.ConvertToSingle(z2 - zZero) * zMultiplier;
                s3 += Vector128.ConvertToSingle(z3 - zZero) * zMultiplier;
            }
            var bytes = Requantization.Narrow(Requantization.Round(s0, lo, hi, yZero), Requantization.Round(s1, lo, hi, yZero),
                Requantization.Round(s2, lo, hi, yZero), Requantization.Round(s3, lo, hi, yZero));
            if (valid == Block) bytes.Store(y);
            else for (int o = 0; o < valid; o++) y[o] = bytes.GetElement(o);
        }
    }
}
