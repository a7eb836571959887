using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX-512BW: as <see cref="MultiplyAvx2"/> on 512-bit vectors (.NET 10 exposes no 512-bit
    /// VPDPBUSD). The 64 weight bytes of a group widen to two vectors of 32 s16 (8 channels × 4 each), so
    /// a pixel takes 2 VPMADDWD per group and the 6 pixels of the tile keep their 12 accumulators in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAvx512BW(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        var f = Vector512.Create(flip);
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first)
        {
            Vector512<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
            Vector512<int> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
            for (int run = 0; run < runs; run++, rows += Tile)
            {
                byte* x0 = rows[0], x1 = rows[1], x2 = rows[2], x3 = rows[3], x4 = rows[4], x5 = rows[5];
                for (int c = 0; c < runBytes; c += 4, w += 4 * Block)
                {
                    var w0 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(w));
                    var w1 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(w + 32));
                    var b = Broadcast4(x0 + c, f);
                    a00 = Avx512F.Add(a00, Avx512BW.MultiplyAddAdjacent(b, w0));
                    a01 = Avx512F.Add(a01, Avx512BW.MultiplyAddAdjacent(b, w1));
                    b = Broadcast4(x1 + c, f);
                    a10 = Avx512F.Add(a10, Avx512BW.MultiplyAddAdjacent(b, w0));
                    a11 = Avx512F.Add(a11, Avx512BW.MultiplyAddAdjacent(b, w1));
                    b = Broadcast4(x2 + c, f);
                    a20 = Avx512F.Add(a20, Avx512BW.MultiplyAddAdjacent(b, w0));
                    a21 = Avx512F.Add(a21, Avx512BW.MultiplyAddAdjacent(b, w1));
                    b = Broadcast4(x3 + c, f);
                    a30 = Avx512F.Add(a30, Avx512BW.MultiplyAddAdjacent(b, w0));
                    a31 = Avx512F.Add(a31, Avx512BW.MultiplyAddAdjacent(b, w1));
                    b = Broadcast4(x4 + c, f);
                    a40 = Avx512F.Add(a40, Avx512BW.MultiplyAddAdjacent(b, w0));
                    a41 = Avx512F.Add(a41, Avx512BW.MultiplyAddAdjacent(b, w1));
                    b = Broadcast4(x5 + c, f);
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
    }

    /// <summary>
    /// The depthwise micro-kernel on AVX-512BW: as <see cref="DepthwiseAvx2"/> with 32 channels from
    /// <paramref name="first"/> per vector (two blocks), weights from <see cref="Packed.WidePairWeights"/>. The lanes
    /// come out as channels 0–3, 8–11, 16–19, 24–27 and 4–7, 12–15, 20–23, 28–31; one VPERMT2D per block puts them
    /// back in order, into <paramref name="acc"/> (first block) and the Tile × 16 values after it (second block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseAvx512(byte** rows, int taps, int first, short* w, int* acc, bool signed)
    {
        var firstBlock = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
        var secondBlock = Vector512.Create(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
        for (int j = 0; j < Tile; j++)
        {
            Vector512<int> low = default, high = default;
            short* wp = w;
            for (int tap = 0; tap < taps; tap += 2, wp += 4 * Block)
            {
                byte* p0 = rows[tap * Tile + j] + first;
                byte* p1 = tap + 1 < taps ? rows[(tap + 1) * Tile + j] + first : p0;  // meets zero weights
                var x0 = signed ? Avx512BW.ConvertToVector512Int16(Avx.LoadVector256((sbyte*)p0)) : Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(p0)).AsInt16();
                var x1 = signed ? Avx512BW.ConvertToVector512Int16(Avx.LoadVector256((sbyte*)p1)) : Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(p1)).AsInt16();
                low = Avx512F.Add(low, Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(x0, x1), Avx512F.LoadVector512(wp)));
                high = Avx512F.Add(high, Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(x0, x1), Avx512F.LoadVector512(wp + 2 * Block)));
            }
            Avx512F.Store(acc + j * Block, Avx512F.PermuteVar16x32x2(low, firstBlock, high));
            Avx512F.Store(acc + (Tile + j) * Block, Avx512F.PermuteVar16x32x2(low, secondBlock, high));
        }
    }

    /// <summary>
    /// The requantizing epilogue on 512-bit vectors: as <see cref="EpilogueAvx2"/> (same operations in the same order,
    /// so the same bits), 16 channels of a pixel in one vector, and VPMOVDB narrows them to the 16 output bytes.
    /// Not inlined: its loop keeps its registers to itself, as it did when it was too long to inline.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void EpilogueAvx512(Args a, byte* arena, int[] foldedBias, float[] multipliers, int* acc, int first, int count, int block)
    {
        var requantize = new Requantizer512(a, foldedBias, multipliers, block);
        int stride = a.PixelStride, zStride = a.OC;
        // Walked by pointers held in locals: the loop's byte stores would make the JIT reload every field of a.
        byte* y = FirstOutput(a, arena, first, block * Block), z = FirstResidual(a, arena, first, block * Block);
        // The store is written here rather than through Store: inlined from there, the JIT moved the full store out of
        // the loop's straight path, and 1×1 16 → 96 at 112×112 took 0.213 ms instead of 0.186 (`quick`).
        int valid = requantize.Valid;
        for (int* end = acc + count * Block; acc < end; acc += Block, y += stride, z += zStride)
        {
            var bytes = requantize.Bytes(Avx512F.LoadVector512(acc), z);
            if (valid == Block) Sse2.Store(y, bytes);
            else for (int o = 0; o < valid; o++) y[o] = bytes.GetElement(o);
        }
    }

    /// <summary>
    /// One block's requantization on 512-bit vectors, its constants made once: the epilogues of the packed path
    /// (<see cref="EpilogueAvx512"/>) and of Winograd's output transform, which calls it from registers.
    /// </summary>
    private readonly unsafe struct Requantizer512
    {
        private readonly Vector512<int> _bias, _yZero, _zZero;
        private readonly Vector512<float> _multiplier, _lo, _hi, _zMultiplier;
        /// <summary>The block's channels below OC: 16 but in a last block.</summary>
        public readonly int Valid;
        private readonly bool _residual, _zSigned;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Requantizer512(Args a, int[] foldedBias, float[] multipliers, int block)
        {
            int oc = block * Block;
            Valid = Math.Min(Block, a.OC - oc);
            _lo = Vector512.Create((float)(a.YMin - a.YZero));
            _hi = Vector512.Create((float)(a.YMax - a.YZero));
            _yZero = Vector512.Create(a.YZero);
            _zZero = Vector512.Create(a.ZZero);
            _zMultiplier = Vector512.Create(a.ZMultiplier);
            _residual = a.Z >= 0;
            _zSigned = a.ZSigned;
            fixed (int* b = foldedBias)
            fixed (float* f = multipliers)
            {
                _bias = Avx512F.LoadVector512(b + oc);
                _multiplier = Avx512F.LoadVector512(f + oc);
            }
        }

        /// <summary>Requantizes one pixel's 16 accumulators into its output bytes at <paramref name="y"/>, adding the residual at <paramref name="z"/> if the layer has one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(Vector512<int> acc, byte* y, byte* z)
        {
            var bytes = Bytes(acc, z);
            if (Valid < Block) for (int o = 0; o < Valid; o++) y[o] = bytes.GetElement(o);
            else Sse2.Store(y, bytes);
        }

        /// <summary>One pixel's 16 output bytes from its accumulators (and its residual at <paramref name="z"/>, if the layer has one).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Bytes(Vector512<int> acc, byte* z)
        {
            var s = Avx512F.Multiply(Avx512F.ConvertToVector512Single(Avx512F.Add(acc, _bias)), _multiplier);
            if (_residual)
            {
                var zs = Sse2.LoadVector128(z);
                var wide = _zSigned ? Avx512F.ConvertToVector512Int32(zs.AsSByte()) : Avx512F.ConvertToVector512Int32(zs);
                s = Avx512F.Add(s, Avx512F.Multiply(Avx512F.ConvertToVector512Single(Avx512F.Subtract(wide, _zZero)), _zMultiplier));
            }
            var q = Avx512F.Add(Avx512F.ConvertToVector512Int32(Avx512F.Min(Avx512F.Max(s, _lo), _hi)), _yZero);
            return Avx512F.ConvertToVector128Byte(q);
        }
    }

    /// <summary>As <see cref="Broadcast4(byte*, Vector256{byte})"/> on 512 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<short> Broadcast4(byte* x, Vector512<byte> flip) =>
        Avx512BW.UnpackLow(Avx512F.Xor(Vector512.Create(*(uint*)x).AsByte(), flip), Vector512<byte>.Zero).AsInt16();

    /// <summary>
    /// y[o] = the two partial sums of channel o, for 16 channels: a holds channels 0–7's pairs, b channels 8–15's. Two
    /// VPERMT2D gather the first and second sums of every pair, in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PairSums512(Vector512<int> a, Vector512<int> b, int* y)
    {
        var firsts = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var seconds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        Avx512F.Store(y, Avx512F.Add(Avx512F.PermuteVar16x32x2(a, firsts, b), Avx512F.PermuteVar16x32x2(a, seconds, b)));
    }
}
