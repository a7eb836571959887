namespace QuantuneV2.Kernels.Program;

/// <summary>The int8 global average: per plane acc = Σ (x − XZero), y = clamp(round_half_even(float32(acc)·Multiplier) + YZero).</summary>
public static class QGlobalAveragePool
{
    public sealed class Args
    {
        public int Planes, PlaneSize, XZero, YZero, YMin, YMax, X, Y;
        public bool XSigned, YSigned;
        public float Multiplier;
    }

    public static void Run(Args a, Span<byte> arena)
    {
        for (int p = 0; p < a.Planes; p++)
        {
            int acc = 0;
            for (int i = 0; i < a.PlaneSize; i++) acc += Arena.Read(arena, a.X + p * a.PlaneSize + i, a.XSigned) - a.XZero;
            Requantization.Write(arena, a.Y + p, Requantization.Store(acc * a.Multiplier, a.YZero, a.YMin, a.YMax), a.YSigned);
        }
    }
}
