using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 concatenation: in each of Outer blocks, input i (at Xs[i]) gives Inner[i] values, requantized to
/// the output: y = clamp(round_half_even(float32(q − Zeros[i])·Multipliers[i]) + YZero); a plain copy when that is
/// the identity (same zero point and type, multiplier 1, no clamp).
/// </summary>
public static class QConcat
{
    public sealed class Args
    {
        public int Outer, YZero, YMin, YMax, Y;
        public int[] Inner = [], Zeros = [], Xs = [];
        public float[] Multipliers = [];
        public bool Signed, YSigned;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        bool fullRange = a.YMin == (a.YSigned ? -128 : 0) && a.YMax == (a.YSigned ? 127 : 255);
        int o = a.Y;
        for (int b = 0; b < a.Outer; b++)
            for (int i = 0; i < a.Xs.Length; i++)
            {
                var x = arena.Slice(a.Xs[i] + b * a.Inner[i], a.Inner[i]);
                var y = arena.Slice(o, a.Inner[i]);
                if (fullRange && a.Multipliers[i] == 1f && a.Zeros[i] == a.YZero && a.Signed == a.YSigned) x.CopyTo(y);
                else Requantization.Bytes(x, a.Signed, a.Zeros[i], a.Multipliers[i], y, a.YSigned, a.YZero, a.YMin, a.YMax);
                o += a.Inner[i];
            }
    }
}
