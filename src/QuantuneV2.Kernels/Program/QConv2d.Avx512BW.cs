using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX-512BW: as <see cref="MultiplyAvx2"/> on 512-bit vectors (this CPU has no 512-bit
    /// VPDPBUSD in .NET 10). The 64 weight bytes of a group widen to two vectors of 32 s16 (8 channels × 4 each), so a
    /// pixel takes 2 VPMADDWD per group and all 4 pixels of the tile keep their 8 accumulators in registers.
    /// </summary>
    private static unsafe void MultiplyAvx512BW(byte[] columns, ReadOnlySpan<sbyte> weights, int k4, int[] acc)
    {
        fixed (byte* x = columns)
        fixed (sbyte* w = weights)
        fixed (int* y = acc)
        {
            Vector512<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
            byte* x0 = x, x1 = x + k4, x2 = x + 2 * k4, x3 = x + 3 * k4;
            for (int g = 0; g < k4; g += 4)
            {
                sbyte* wg = w + g * Block;
                var w0 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(wg));
                var w1 = Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(wg + 32));
                var b0 = Vector512.Create(Spread(x0 + g)).AsInt16();
                a00 = Avx512F.Add(a00, Avx512BW.MultiplyAddAdjacent(b0, w0));
                a01 = Avx512F.Add(a01, Avx512BW.MultiplyAddAdjacent(b0, w1));
                var b1 = Vector512.Create(Spread(x1 + g)).AsInt16();
                a10 = Avx512F.Add(a10, Avx512BW.MultiplyAddAdjacent(b1, w0));
                a11 = Avx512F.Add(a11, Avx512BW.MultiplyAddAdjacent(b1, w1));
                var b2 = Vector512.Create(Spread(x2 + g)).AsInt16();
                a20 = Avx512F.Add(a20, Avx512BW.MultiplyAddAdjacent(b2, w0));
                a21 = Avx512F.Add(a21, Avx512BW.MultiplyAddAdjacent(b2, w1));
                var b3 = Vector512.Create(Spread(x3 + g)).AsInt16();
                a30 = Avx512F.Add(a30, Avx512BW.MultiplyAddAdjacent(b3, w0));
                a31 = Avx512F.Add(a31, Avx512BW.MultiplyAddAdjacent(b3, w1));
            }
            PairSums512(a00, a01, y);
            PairSums512(a10, a11, y + Block);
            PairSums512(a20, a21, y + 2 * Block);
            PairSums512(a30, a31, y + 3 * Block);
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
