using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX2. Per group of 4 reduction bytes, the weights of 16 channels (64 bytes) are widened to
    /// s16, and each pixel's 4 bytes, zero-extended to s16, are broadcast; VPMADDWD then sums pairs of products into
    /// int32, exactly (|u8·s8| + |u8·s8| &lt; 2³¹). Each channel keeps two partial sums (k0+k1, k2+k3) that are added once
    /// at the end of the tile. (VPMADDUBSW would take u8 × s8 directly but saturates at int16: 255·127·2 &gt; 32767.)
    /// </summary>
    private static unsafe void MultiplyAvx2(byte[] columns, ReadOnlySpan<sbyte> weights, int k4, int[] acc)
    {
        fixed (byte* x = columns)
        fixed (sbyte* w = weights)
        fixed (int* y = acc)
        {
            // Two pixels at a time keep the 8 accumulators, 4 widened weight vectors and 2 broadcasts in 16 registers.
            for (int t = 0; t < Tile; t += 2)
            {
                Vector256<int> p00 = default, p01 = default, p02 = default, p03 = default, p10 = default, p11 = default, p12 = default, p13 = default;
                byte* x0 = x + t * k4, x1 = x0 + k4;
                for (int g = 0; g < k4; g += 4)
                {
                    sbyte* wg = w + g * Block;
                    var w0 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg));
                    var w1 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 16));
                    var w2 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 32));
                    var w3 = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(wg + 48));
                    var b0 = Vector256.Create(Spread(x0 + g)).AsInt16();
                    p00 = Avx2.Add(p00, Avx2.MultiplyAddAdjacent(b0, w0));
                    p01 = Avx2.Add(p01, Avx2.MultiplyAddAdjacent(b0, w1));
                    p02 = Avx2.Add(p02, Avx2.MultiplyAddAdjacent(b0, w2));
                    p03 = Avx2.Add(p03, Avx2.MultiplyAddAdjacent(b0, w3));
                    var b1 = Vector256.Create(Spread(x1 + g)).AsInt16();
                    p10 = Avx2.Add(p10, Avx2.MultiplyAddAdjacent(b1, w0));
                    p11 = Avx2.Add(p11, Avx2.MultiplyAddAdjacent(b1, w1));
                    p12 = Avx2.Add(p12, Avx2.MultiplyAddAdjacent(b1, w2));
                    p13 = Avx2.Add(p13, Avx2.MultiplyAddAdjacent(b1, w3));
                }
                // Each vector holds 4 channels × (k0·w0 + k1·w1, k2·w2 + k3·w3): add the halves per channel.
                PairSums(p00, p01, p02, p03, y + t * Block);
                PairSums(p10, p11, p12, p13, y + (t + 1) * Block);
            }
        }
    }

    /// <summary>4 bytes as 4 zero-extended s16 lanes in one 64-bit value, for a broadcast.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe long Spread(byte* x) => x[0] | ((long)x[1] << 16) | ((long)x[2] << 32) | ((long)x[3] << 48);

    private static unsafe void PairSums(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d, int* y)
    {
        var pairs = stackalloc int[2 * Block];
        Avx.Store(pairs, a);
        Avx.Store(pairs + 8, b);
        Avx.Store(pairs + 16, c);
        Avx.Store(pairs + 24, d);
        AddPairs(pairs, y);
    }

    /// <summary>y[o] = pairs[2o] + pairs[2o + 1] over a block: the two partial sums VPMADDWD leaves per channel.</summary>
    private static unsafe void AddPairs(int* pairs, int* y)
    {
        for (int o = 0; o < Block; o++) y[o] = pairs[2 * o] + pairs[2 * o + 1];
    }
}
