using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX2. Per group of 4 reduction bytes, the weights of 16 channels (64 bytes) are widened to
    /// s16, and each pixel's 4 bytes, zero-extended to s16, are broadcast (<see cref="Broadcast4(byte*, Vector256{byte})"/>);
    /// VPMADDWD then sums pairs of products into int32, exactly (|u8·s8| + |u8·s8| &lt; 2³¹). Each channel keeps two
    /// partial sums (k0+k1, k2+k3) that are added once at the end of the tile. (VPMADDUBSW would take u8 × s8 directly but saturates at int16: 255·127·2 &gt; 32767.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAvx2(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        var f = Vector256.Create(flip);
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first, rows += runs * Tile)
        {
            // Two pixels at a time keep the 8 accumulators, 4 widened weight vectors and 2 broadcasts in 16 registers.
            for (int j = 0; j < Tile; j += 2)
            {
                Vector256<int> p00 = default, p01 = default, p02 = default, p03 = default, p10 = default, p11 = default, p12 = default, p13 = default;
                sbyte* wg = w;
                byte** r = rows;
                for (int run = 0; run < runs; run++, r += Tile)
                {
                    byte* x0 = r[j], x1 = r[j + 1];
                    for (int c = 0; c < runBytes; c += 4, wg += 4 * Block)
                    {
                        var w0 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg));
                        var w1 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 16));
                        var w2 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 32));
                        var w3 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 48));
                        var b0 = Broadcast4(x0 + c, f);
                        p00 = Avx2.Add(p00, Avx2.MultiplyAddAdjacent(b0, w0));
                        p01 = Avx2.Add(p01, Avx2.MultiplyAddAdjacent(b0, w1));
                        p02 = Avx2.Add(p02, Avx2.MultiplyAddAdjacent(b0, w2));
                        p03 = Avx2.Add(p03, Avx2.MultiplyAddAdjacent(b0, w3));
                        var b1 = Broadcast4(x1 + c, f);
                        p10 = Avx2.Add(p10, Avx2.MultiplyAddAdjacent(b1, w0));
                        p11 = Avx2.Add(p11, Avx2.MultiplyAddAdjacent(b1, w1));
                        p12 = Avx2.Add(p12, Avx2.MultiplyAddAdjacent(b1, w2));
                        p13 = Avx2.Add(p13, Avx2.MultiplyAddAdjacent(b1, w3));
                    }
                }
                // Each vector holds 4 channels × (k0·w0 + k1·w1, k2·w2 + k3·w3): add the halves per channel.
                PairSums(p00, p01, p02, p03, acc + j * Block);
                PairSums(p10, p11, p12, p13, acc + (j + 1) * Block);
            }
        }
    }

    /// <summary>
    /// The depthwise micro-kernel on AVX2: 16 channels from <paramref name="first"/> for each pixel of the tile. Two taps'
    /// 16 input bytes widen to s16 and interleave (VPUNPCKLWD/HWD) against the pair-packed weights, so one VPMADDWD adds
    /// both taps' products for 8 channels (exact: |x·w| ≤ 255·128 per product); the lanes come out as channels 0–3,
    /// 8–11 and 4–7, 12–15 and are put back in order once per pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseAvx2(byte** rows, int taps, int first, short* w, int* acc, bool signed)
    {
        for (int j = 0; j < Tile; j++)
        {
            Vector256<int> low = default, high = default;
            short* wp = w;
            for (int tap = 0; tap < taps; tap += 2, wp += 2 * Block)
            {
                byte* p0 = rows[tap * Tile + j] + first;
                byte* p1 = tap + 1 < taps ? rows[(tap + 1) * Tile + j] + first : p0;  // meets zero weights
                var x0 = signed ? Avx2.ConvertToVector256Int16((sbyte*)p0) : Avx2.ConvertToVector256Int16(p0).AsInt16();
                var x1 = signed ? Avx2.ConvertToVector256Int16((sbyte*)p1) : Avx2.ConvertToVector256Int16(p1).AsInt16();
                low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), Avx.LoadVector256(wp)));
                high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), Avx.LoadVector256(wp + Block)));
            }
            Avx.Store(acc + j * Block, Avx2.Permute2x128(low, high, 0x20));
            Avx.Store(acc + j * Block + 8, Avx2.Permute2x128(low, high, 0x31));
        }
    }

    /// <summary>
    /// The 4 bytes at <paramref name="x"/>, flipped, as 4 zero-extended s16 lanes repeated across the vector: one
    /// VPBROADCASTD from memory and one VPUNPCKLBW with zero (each 128-bit lane widens its low 8 bytes, the 4 bytes twice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<short> Broadcast4(byte* x, Vector256<byte> flip) =>
        Avx2.UnpackLow(Avx2.Xor(Avx2.BroadcastScalarToVector256((uint*)x).AsByte(), flip), Vector256<byte>.Zero).AsInt16();

    /// <summary>
    /// y[o] = the two partial sums of channel o, for 16 channels: each of a, b, c, d holds 4 channels' pairs. VPHADDD
    /// sums the pairs lane by lane (channels 0, 1, 4, 5 | 2, 3, 6, 7) and VPERMQ puts them in order. In registers: the
    /// stack buffer and scalar adds this replaced made some processes 1.7× slower than others on AVX-512BW.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PairSums(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d, int* y)
    {
        Avx.Store(y, Avx2.Permute4x64(Avx2.HorizontalAdd(a, b).AsInt64(), 0b11_01_10_00).AsInt32());
        Avx.Store(y + 8, Avx2.Permute4x64(Avx2.HorizontalAdd(c, d).AsInt64(), 0b11_01_10_00).AsInt32());
    }

    /// <summary>
    /// The requantizing epilogue of one block of a tile on 256-bit vectors (every x64 path has AVX2), bit-identical to
    /// <see cref="StoreOutput"/>: float32 products and sum without fusion, the clamp taken in float before rounding
    /// (the bounds are integers, so clamping first changes nothing and keeps VCVTPS2DQ in range), rounding half to
    /// even by VCVTPS2DQ (MXCSR's default mode), 16 output bytes per pixel in one store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EpilogueAvx2(Args a, byte* arena, int[] foldedBias, float[] multipliers, int* acc, int first, int count, int block)
    {
        int oc = block * Block, valid = Math.Min(Block, a.OC - oc), stride = a.PixelStride;
        var lo = Vector256.Create((float)(a.YMin - a.YZero));
        var hi = Vector256.Create((float)(a.YMax - a.YZero));
        var yZero = Vector256.Create(a.YZero);
        var zZero = Vector256.Create(a.ZZero);
        var zMultiplier = Vector256.Create(a.ZMultiplier);
        Vector256<int> bias0, bias1;
        Vector256<float> m0, m1;
        fixed (int* bias = foldedBias)
        fixed (float* multiplier = multipliers)
        {
            (bias0, bias1) = (Avx.LoadVector256(bias + oc), Avx.LoadVector256(bias + oc + 8));
            (m0, m1) = (Avx.LoadVector256(multiplier + oc), Avx.LoadVector256(multiplier + oc + 8));
        }
        // Walked by pointers held in locals: the loop's byte stores would make the JIT reload every field of a.
        byte* y = FirstOutput(a, arena, first, oc), z = FirstResidual(a, arena, first, oc);
        int zStride = a.OC;
        bool zSigned = a.ZSigned;
        for (int* end = acc + count * Block; acc < end; acc += Block, y += stride)
        {
            var s0 = Avx.Multiply(Avx.ConvertToVector256Single(Avx2.Add(Avx.LoadVector256(acc), bias0)), m0);
            var s1 = Avx.Multiply(Avx.ConvertToVector256Single(Avx2.Add(Avx.LoadVector256(acc + 8), bias1)), m1);
            if (z != null)
            {
                s0 = Avx.Add(s0, Residual(z, zSigned, zZero, zMultiplier));
                s1 = Avx.Add(s1, Residual(z + 8, zSigned, zZero, zMultiplier));
                z += zStride;
            }
            var q0 = Avx2.Add(Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(s0, lo), hi)), yZero);
            var q1 = Avx2.Add(Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(s1, lo), hi)), yZero);
            // Every value is in the output type's range, so truncating narrowing keeps its byte exactly.
            var bytes = Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256<short>.Zero).AsByte().GetLower();
            if (valid == Block) Sse2.Store(y, bytes);
            else for (int o = 0; o < valid; o++) y[o] = bytes.GetElement(o);
        }
    }

    /// <summary>float32(z − ZZero)·ZMultiplier for 8 residual bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Residual(byte* z, bool signed, Vector256<int> zero, Vector256<float> multiplier)
    {
        var wide = signed ? Avx2.ConvertToVector256Int32((sbyte*)z) : Avx2.ConvertToVector256Int32(z);
        return Avx.Multiply(Avx.ConvertToVector256Single(Avx2.Subtract(wide, zero)), multiplier);
    }
}
