using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

public static partial class QConv2d
{
    /// <summary>
    /// The micro-kernel on AVX-VNNI: 6 pixels × 16 output channels in 12 int32 accumulators of 256 bits; per group of
    /// 4 reduction bytes, two weight loads and one broadcast of each pixel's 4 bytes feed 12 VPDPBUSD (u8 × s8, exact).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAvxVnni(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        var f = Vector256.Create(flip);
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first)
        {
            Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
            Vector256<int> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
            for (int run = 0; run < runs; run++, rows += Tile)
            {
                byte* x0 = rows[0], x1 = rows[1], x2 = rows[2], x3 = rows[3], x4 = rows[4], x5 = rows[5];
                for (int c = 0; c < runBytes; c += 4, w += 4 * Block)
                {
                    var w0 = Avx.LoadVector256(w);
                    var w1 = Avx.LoadVector256(w + 32);
                    var b = Avx2.Xor(Vector256.Create(*(int*)(x0 + c)).AsByte(), f);
                    a00 = AvxVnni.MultiplyWideningAndAdd(a00, b, w0);
                    a01 = AvxVnni.MultiplyWideningAndAdd(a01, b, w1);
                    b = Avx2.Xor(Vector256.Create(*(int*)(x1 + c)).AsByte(), f);
                    a10 = AvxVnni.MultiplyWideningAndAdd(a10, b, w0);
                    a11 = AvxVnni.MultiplyWideningAndAdd(a11, b, w1);
                    b = Avx2.Xor(Vector256.Create(*(int*)(x2 + c)).AsByte(), f);
                    a20 = AvxVnni.MultiplyWideningAndAdd(a20, b, w0);
                    a21 = AvxVnni.MultiplyWideningAndAdd(a21, b, w1);
                    b = Avx2.Xor(Vector256.Create(*(int*)(x3 + c)).AsByte(), f);
                    a30 = AvxVnni.MultiplyWideningAndAdd(a30, b, w0);
                    a31 = AvxVnni.MultiplyWideningAndAdd(a31, b, w1);
                    b = Avx2.Xor(Vector256.Create(*(int*)(x4 + c)).AsByte(), f);
                    a40 = AvxVnni.MultiplyWideningAndAdd(a40, b, w0);
                    a41 = AvxVnni.MultiplyWideningAndAdd(a41, b, w1);
                    b = Avx2.Xor(Vector256.Create(*(int*)(x5 + c)).AsByte(), f);
                    a50 = AvxVnni.MultiplyWideningAndAdd(a50, b, w0);
                    a51 = AvxVnni.MultiplyWideningAndAdd(a51, b, w1);
                }
            }
            Avx.Store(acc, a00); Avx.Store(acc + 8, a01);
            Avx.Store(acc + 16, a10); Avx.Store(acc + 24, a11);
            Avx.Store(acc + 32, a20); Avx.Store(acc + 40, a21);
            Avx.Store(acc + 48, a30); Avx.Store(acc + 56, a31);
            Avx.Store(acc + 64, a40); Avx.Store(acc + 72, a41);
            Avx.Store(acc + 80, a50); Avx.Store(acc + 88, a51);
        }
    }

    /// <summary>
    /// One pixel's 16 channels on AVX-VNNI, for the few pixels a layer's last tile holds (a 7×7 output leaves one of
    /// 49): the full tile would compute six. Its two accumulators would chain each VPDPBUSD on the last one's latency,
    /// so four groups of 4 bytes go to four pairs of accumulators, summed at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyAvxVnniPixel(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip)
    {
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        var f = Vector256.Create(flip);
        for (int run = 0; run < runs; run++, rows += Tile)
        {
            byte* x = rows[0];
            int c = 0;
            for (; c + 16 <= runBytes; c += 16, w += 16 * Block)
            {
                var b = Avx2.Xor(Vector256.Create(*(int*)(x + c)).AsByte(), f);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, b, Avx.LoadVector256(w));
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, b, Avx.LoadVector256(w + 32));
                b = Avx2.Xor(Vector256.Create(*(int*)(x + c + 4)).AsByte(), f);
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, b, Avx.LoadVector256(w + 64));
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, b, Avx.LoadVector256(w + 96));
                b = Avx2.Xor(Vector256.Create(*(int*)(x + c + 8)).AsByte(), f);
                a4 = AvxVnni.MultiplyWideningAndAdd(a4, b, Avx.LoadVector256(w + 128));
                a5 = AvxVnni.MultiplyWideningAndAdd(a5, b, Avx.LoadVector256(w + 160));
                b = Avx2.Xor(Vector256.Create(*(int*)(x + c + 12)).AsByte(), f);
                a6 = AvxVnni.MultiplyWideningAndAdd(a6, b, Avx.LoadVector256(w + 192));
                a7 = AvxVnni.MultiplyWideningAndAdd(a7, b, Avx.LoadVector256(w + 224));
            }
            for (; c < runBytes; c += 4, w += 4 * Block)
            {
                var b = Avx2.Xor(Vector256.Create(*(int*)(x + c)).AsByte(), f);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, b, Avx.LoadVector256(w));
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, b, Avx.LoadVector256(w + 32));
            }
        }
        Avx.Store(acc, a0 + a2 + a4 + a6);
        Avx.Store(acc + 8, a1 + a3 + a5 + a7);
    }
}
