using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on arm64 with the dot-product extension: 6 pixels × 16 output channels in 24 int32 accumulators
    /// of 128 bits. A group of 4 reduction bytes is one int32 per channel in the packed weights, so per group four
    /// weight loads and one broadcast of each pixel's 4 bytes feed 24 SDOT (s8 × s8, four products summed into each
    /// int32, exact). SDOT takes signed activations: uint8 inputs arrive flipped to int8 (x − 128, by
    /// <paramref name="flip"/>), and the shift is folded into <see cref="Packed.SignedBias"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyDp(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        uint f = flip * 0x01010101u;
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first)
        {
            Vector128<int> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
            Vector128<int> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
            Vector128<int> a40 = default, a41 = default, a42 = default, a43 = default, a50 = default, a51 = default, a52 = default, a53 = default;
            for (int run = 0; run < runs; run++, rows += Tile)
            {
                byte* x0 = rows[0], x1 = rows[1], x2 = rows[2], x3 = rows[3], x4 = rows[4], x5 = rows[5];
                for (int c = 0; c < runBytes; c += 4, w += 4 * Block)
                {
                    var w0 = AdvSimd.LoadVector128(w);
                    var w1 = AdvSimd.LoadVector128(w + 16);
                    var w2 = AdvSimd.LoadVector128(w + 32);
                    var w3 = AdvSimd.LoadVector128(w + 48);
                    var b = Vector128.Create(*(uint*)(x0 + c) ^ f).AsSByte();
                    a00 = Dp.DotProduct(a00, b, w0); a01 = Dp.DotProduct(a01, b, w1); a02 = Dp.DotProduct(a02, b, w2); a03 = Dp.DotProduct(a03, b, w3);
                    b = Vector128.Create(*(uint*)(x1 + c) ^ f).AsSByte();
                    a10 = Dp.DotProduct(a10, b, w0); a11 = Dp.DotProduct(a11, b, w1); a12 = Dp.DotProduct(a12, b, w2); a13 = Dp.DotProduct(a13, b, w3);
                    b = Vector128.Create(*(uint*)(x2 + c) ^ f).AsSByte();
                    a20 = Dp.DotProduct(a20, b, w0); a21 = Dp.DotProduct(a21, b, w1); a22 = Dp.DotProduct(a22, b, w2); a23 = Dp.DotProduct(a23, b, w3);
                    b = Vector128.Create(*(uint*)(x3 + c) ^ f).AsSByte();
                    a30 = Dp.DotProduct(a30, b, w0); a31 = Dp.DotProduct(a31, b, w1); a32 = Dp.DotProduct(a32, b, w2); a33 = Dp.DotProduct(a33, b, w3);
                    b = Vector128.Create(*(uint*)(x4 + c) ^ f).AsSByte();
                    a40 = Dp.DotProduct(a40, b, w0); a41 = Dp.DotProduct(a41, b, w1); a42 = Dp.DotProduct(a42, b, w2); a43 = Dp.DotProduct(a43, b, w3);
                    b = Vector128.Create(*(uint*)(x5 + c) ^ f).AsSByte();
                    a50 = Dp.DotProduct(a50, b, w0); a51 = Dp.DotProduct(a51, b, w1); a52 = Dp.DotProduct(a52, b, w2); a53 = Dp.DotProduct(a53, b, w3);
                }
            }
            StoreBlock(acc, a00, a01, a02, a03);
            StoreBlock(acc + Block, a10, a11, a12, a13);
            StoreBlock(acc + 2 * Block, a20, a21, a22, a23);
            StoreBlock(acc + 3 * Block, a30, a31, a32, a33);
            StoreBlock(acc + 4 * Block, a40, a41, a42, a43);
            StoreBlock(acc + 5 * Block, a50, a51, a52, a53);
        }
    }

    /// <summary>One pixel's 16 accumulators, in channel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreBlock(int* y, Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d)
    {
        a.Store(y);
        b.Store(y + 4);
        c.Store(y + 8);
        d.Store(y + 12);
    }
}
