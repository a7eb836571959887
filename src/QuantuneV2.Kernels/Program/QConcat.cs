using System.Runtime.CompilerServices;
namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 concatenation: in each of Outer blocks, input i (at Xs[i]) gives Inner[i] values, requantized to
/// the output: y = clamp(round_half_even(float32(q − Zeros[i])·Multipliers[i]) + YZero).
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
        int o = a.Y;
        for (int b = 0; b < a.Outer; b++)
            for (int i = 0; i < a.Xs.Length; i++)
            {
                int src = a.Xs[i] + b * a.Inner[i];
                for (int k = 0; k < a.Inner[i]; k++)
                    Requantization.Write(arena, o++, Requantization.Store((Arena.Read(arena, src + k, a.Signed) - a.Zeros[i]) * a.Multipliers[i], a.YZero, a.YMin, a.YMax), a.YSigned);
            }
    }
}
