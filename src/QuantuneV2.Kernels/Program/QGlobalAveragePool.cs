using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 global average over a channels-last input (N images of PlaneSize pixels × C channels): per image and
/// channel acc = Σ (x − XZero), y = clamp(round_half_even(float32(acc)·Multiplier) + YZero).
/// </summary>
public static class QGlobalAveragePool
{
    public sealed class Args
    {
        public int N, C, PlaneSize, XZero, YZero, YMin, YMax, X, Y;
        public bool XSigned, YSigned;
        public float Multiplier;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        for (int n = 0; n < a.N; n++)
            for (int c = 0; c < a.C; c++)
            {
                int acc = 0, image = a.X + n * a.PlaneSize * a.C;
                for (int i = 0; i < a.PlaneSize; i++) acc += Arena.Read(arena, image + i * a.C + c, a.XSigned) - a.XZero;
                Requantization.Write(arena, a.Y + n * a.C + c, Requantization.Store(acc * a.Multiplier, a.YZero, a.YMin, a.YMax), a.YSigned);
            }
    }
}
