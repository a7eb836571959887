using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 global average over a channels-last input (N images of PlaneSize pixels × C channels): per image and
/// channel acc = Σ (x − XZero), y = clamp(round_half_even(float32(acc)·Multiplier) + YZero). 16 channels at a time,
/// in four 128-bit int32 sums held over all the pixels; Σ (x − XZero) = Σ x − PlaneSize·XZero.
/// </summary>
public static class QGlobalAveragePool
{
    public sealed class Args
    {
        public int N, C, PlaneSize, XZero, YZero, YMin, YMax, X, Y;
        public bool XSigned, YSigned;
        public float Multiplier;
    }

    [ThreadStatic] private static int[]? t_sums;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        var sums = t_sums is { } s && s.Length >= a.C ? s : t_sums = new int[a.C];
        var acc = sums.AsSpan(0, a.C);
        int vectors = Vector128.IsHardwareAccelerated ? a.C / 16 * 16 : 0;
        for (int n = 0; n < a.N; n++)
        {
            acc.Clear();
            var image = arena.Slice(a.X + n * a.PlaneSize * a.C, a.PlaneSize * a.C);
            // Block by block, its 16 sums kept in registers over all the pixels.
            for (int c = 0; c < vectors; c += 16)
            {
                Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int i = 0; i < a.PlaneSize; i++)
                {
                    var (v0, v1, v2, v3) = Requantization.Widen(Vector128.Create(image.Slice(i * a.C + c, 16)), a.XSigned);
                    (s0, s1, s2, s3) = (s0 + v0, s1 + v1, s2 + v2, s3 + v3);
                }
                var sum = acc.Slice(c, 16);
                s0.CopyTo(sum);
                s1.CopyTo(sum[4..]);
                s2.CopyTo(sum[8..]);
                s3.CopyTo(sum[12..]);
            }
            for (int i = 0; i < a.PlaneSize; i++)
            {
                var pixel = image.Slice(i * a.C, a.C);
                for (int c = vectors; c < a.C; c++) acc[c] += a.XSigned ? (sbyte)pixel[c] : pixel[c];
            }
            int shift = a.PlaneSize * a.XZero;
            for (int c = 0; c < a.C; c++)
                Requantization.Write(arena, a.Y + n * a.C + c, Requantization.Store((acc[c] - shift) * a.Multiplier, a.YZero, a.YMin, a.YMax), a.YSigned);
        }
    }
}
