using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX-512BW: as <see cref="MultiplyAvx2"/> on 512-bit vectors (.NET 10 exposes no 512-bit
    /// VPDPBUSD without AVX10). The 64 weight bytes of a group widen to two vectors of 32 s16 (8 channels × 4 each), so
    /// a pixel takes 2 VPMADDWD per group and the 6 pixels of the tile keep their 12 accumulators in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAvx512BW(byte** rows, int taps, int c4, sbyte* w, int* acc, byte flip)
    {
        Vector512<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<int> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        uint f = flip * 0x01010101u;
        for (int tap = 0; tap < taps; tap++, rows += Tile)
        {
            byte* x0 = rows[0], x1 = rows[1], x2 = rows[2], x3 = rows[3], x4 = rows[4], x5 = rows[5];
            for (int c = 0; c < c4; c += 4, w += 4 * Block)
            {
                var w0 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(w));
                var w1 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(w + 32));
                var b = Vector512.Create(Spread(*(uint*)(x0 + c) ^ f)).AsInt16();
                a00 = Avx512F.Add(a00, Avx512BW.MultiplyAddAdjacent(b, w0));
                a01 = Avx512F.Add(a01, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(Spread(*(uint*)(x1 + c) ^ f)).AsInt16();
                a10 = Avx512F.Add(a10, Avx512BW.MultiplyAddAdjacent(b, w0));
                a11 = Avx512F.Add(a11, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(Spread(*(uint*)(x2 + c) ^ f)).AsInt16();
                a20 = Avx512F.Add(a20, Avx512BW.MultiplyAddAdjacent(b, w0));
                a21 = Avx512F.Add(a21, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(Spread(*(uint*)(x3 + c) ^ f)).AsInt16();
                a30 = Avx512F.Add(a30, Avx512BW.MultiplyAddAdjacent(b, w0));
                a31 = Avx512F.Add(a31, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(Spread(*(uint*)(x4 + c) ^ f)).AsInt16();
                a40 = Avx512F.Add(a40, Avx512BW.MultiplyAddAdjacent(b, w0));
                a41 = Avx512F.Add(a41, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(Spread(*(uint*)(x5 + c) ^ f)).AsInt16();
                a50 = Avx512F.Add(a50, Avx512BW.MultiplyAddAdjacent(b, w0));
                a51 = Avx512F.Add(a51, Avx512BW.MultiplyAddAdjacent(b, w1));
            }
        }
        PairSums512(a00, a01, acc);
        PairSums512(a10, a11, acc + Block);
        PairSums512(a20, a21, acc + 2 * Block);
        PairSums512(a30, a31, acc + 3 * Block);
        PairSums512(a40, a41, acc + 4 * Block);
        PairSums512(a50, a51, acc + 5 * Block);
    }

    /// <summary>
    /// The requantizing epilogue on 512-bit vectors: as <see cref="EpilogueAvx2"/> (same operations in the same order,
    /// so the same bits), 16 channels of a pixel in one vector, and VPMOVDB narrows them to the 16 output bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EpilogueAvx512(Args a, byte* arena, int[] foldedBias, float[] multipliers, int* acc, int first, int count, int block)
    {
        int oc = block * Block, valid = Math.Min(Block, a.OC - oc);
        var lo = Vector512.Create((float)(a.YMin - a.YZero));
        var hi = Vector512.Create((float)(a.YMax - a.YZero));
        var yZero = Vector512.Create(a.YZero);
        var zZero = Vector512.Create(a.ZZero);
        var zMultiplier = Vector512.Create(a.ZMultiplier);
        Vector512<int> bias;
        Vector512<float> m;
        fixed (int* b = foldedBias)
        fixed (float* f = multipliers)
            (bias, m) = (Avx512F.LoadVector512(b + oc), Avx512F.LoadVector512(f + oc));
        for (int j = 0; j < count; j++)
        {
            long index = (long)(first + j) * a.OC + oc;
            var s = Avx512F.Multiply(Avx512F.ConvertToVector512Single(Avx512F.Add(Avx512F.LoadVector512(acc + j * Block), bias)), m);
            if (a.Z >= 0)
            {
                var z = Sse2.LoadVector128(arena + a.Z + index);
                var wide = a.ZSigned ? Avx512F.ConvertToVector512Int32(z.AsSByte()) : Avx512F.ConvertToVector512Int32(z);
                s = Avx512F.Add(s, Avx512F.Multiply(Avx512F.ConvertToVector512Single(Avx512F.Subtract(wide, zZero)), zMultiplier));
            }
            var q = Avx512F.Add(Avx512F.ConvertToVector512Int32(Avx512F.Min(Avx512F.Max(s, lo), hi)), yZero);
            var bytes = Avx512F.ConvertToVector128Byte(q);
            byte* y = arena + a.Y + index;
            if (valid == Block) Sse2.Store(y, bytes);
            else for (int o = 0; o < valid; o++) y[o] = bytes.GetElement(o);
        }
    }

    private static unsafe void PairSums512(Vector512<int> a, Vector512<int> b, int* y)
    {
        var pairs = stackalloc int[2 * Block];
        Avx512F.Store(pairs, a);
        Avx512F.Store(pairs + 16, b);
        AddPairs(pairs, y);
    }
}
