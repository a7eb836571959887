using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX-VNNI: 4 pixels × 16 output channels in 8 int32 accumulators of 256 bits; per group of
    /// 4 reduction bytes, two weight loads and one broadcast of each pixel's 4 bytes feed 8 VPDPBUSD (u8 × s8, exact).
    /// </summary>
    private static unsafe void MultiplyAvxVnni(byte[] columns, ReadOnlySpan<sbyte> weights, int k4, int[] acc)
    {
        fixed (byte* x = columns)
        fixed (sbyte* w = weights)
        fixed (int* y = acc)
        {
            Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
            byte* x0 = x, x1 = x + k4, x2 = x + 2 * k4, x3 = x + 3 * k4;
            for (int g = 0; g < k4; g += 4)
            {
                var w0 = Avx.LoadVector256(w + g * Block).AsSByte();
                var w1 = Avx.LoadVector256(w + g * Block + 32).AsSByte();
                var b0 = Vector256.Create(Unsafe.ReadUnaligned<int>(x0 + g)).AsByte();
                a00 = AvxVnni.MultiplyWideningAndAdd(a00, b0, w0);
                a01 = AvxVnni.MultiplyWideningAndAdd(a01, b0, w1);
                var b1 = Vector256.Create(Unsafe.ReadUnaligned<int>(x1 + g)).AsByte();
                a10 = AvxVnni.MultiplyWideningAndAdd(a10, b1, w0);
                a11 = AvxVnni.MultiplyWideningAndAdd(a11, b1, w1);
                var b2 = Vector256.Create(Unsafe.ReadUnaligned<int>(x2 + g)).AsByte();
                a20 = AvxVnni.MultiplyWideningAndAdd(a20, b2, w0);
                a21 = AvxVnni.MultiplyWideningAndAdd(a21, b2, w1);
                var b3 = Vector256.Create(Unsafe.ReadUnaligned<int>(x3 + g)).AsByte();
                a30 = AvxVnni.MultiplyWideningAndAdd(a30, b3, w0);
                a31 = AvxVnni.MultiplyWideningAndAdd(a31, b3, w1);
            }
            Avx.Store(y, a00); Avx.Store(y + 8, a01);
            Avx.Store(y + 16, a10); Avx.Store(y + 24, a11);
            Avx.Store(y + 32, a20); Avx.Store(y + 40, a21);
            Avx.Store(y + 48, a30); Avx.Store(y + 56, a31);
        }
    }
}
