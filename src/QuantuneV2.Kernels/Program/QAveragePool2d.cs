using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D average pool over channels-last values, as the reference QAveragePool defines it: per output and
/// channel acc = Σ (x − XZero) over the window's taps inside the input (padding adds nothing), then
/// y = clamp(round_half_even(float32(acc)·Multipliers[count − 1]) + YZero), where count is the divisor: the taps inside
/// the input, or with CountIncludePad those inside input + pads (a window with no taps gives YZero).
/// </summary>
public static class QAveragePool2d
{
    public sealed class Args : Pool2dArgs
    {
        public int XZero, YZero, YMin, YMax;
        public bool CountIncludePad, XSigned, YSigned;
        public float[] Multipliers = [];
    }

    [ThreadStatic] private static int[]? t_sums;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        var w = a.Window;
        var sums = t_sums is { } s && s.Length >= a.C ? s : t_sums = new int[a.C];
        for (int n = 0; n < a.N; n++)
            for (int oy = 0; oy < a.OH; oy++)
            {
                var (ky0, ky1) = w.ValidTaps(1, oy);
                for (int ox = 0; ox < a.OW; ox++)
                {
                    var (kx0, kx1) = w.ValidTaps(2, ox);
                    int taps = (ky1 - ky0) * (kx1 - kx0);
                    float multiplier = a.Multipliers[Math.Max(a.CountIncludePad ? w.PaddedTaps(0, oy, ox) : taps, 1) - 1];
                    var acc = sums.AsSpan(0, a.C);
                    acc.Clear();
                    for (int ky = ky0; ky < ky1; ky++)
                        for (int kx = kx0; kx < kx1; kx++)
                        {
                            int iy = oy * a.SH - a.PadTop + ky * a.DH, ix = ox * a.SW - a.PadLeft + kx * a.DW;
                            var x = arena.Slice(a.X + ((n * a.H + iy) * a.W + ix) * a.C, a.C);
                            if (a.XSigned) for (int c = 0; c < acc.Length; c++) acc[c] += (sbyte)x[c];
                            else for (int c = 0; c < acc.Length; c++) acc[c] += x[c];
                        }
                    // Σ (x − XZero) = Σ x − taps·XZero, exactly.
                    int y = a.Y + ((n * a.OH + oy) * a.OW + ox) * a.C, shift = taps * a.XZero;
                    for (int c = 0; c < acc.Length; c++)
                        Requantization.Write(arena, y + c, Requantization.Store((acc[c] - shift) * multiplier, a.YZero, a.YMin, a.YMax), a.YSigned);
                }
            }
    }
}
