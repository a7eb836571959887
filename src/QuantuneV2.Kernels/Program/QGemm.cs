namespace QuantuneV2.Kernels.Program;

/// <summary>The int8 fully connected layer: y[m, n] = clamp(round_half_even(float32(Bias[n] + Σ_k (x[m, k] − XZero)·w[n, k])·Multiplier[n]) + YZero).</summary>
public static class QGemm
{
    public sealed class Args
    {
        public int M, K, N, XZero, YZero, YMin, YMax, X, Y;
        public bool XSigned, YSigned;
        public sbyte[] Weights = [];
        public int[]? Bias;
        public float[] Multiplier = [];
    }

    public static void Run(Args a, Span<byte> arena)
    {
        for (int m = 0; m < a.M; m++)
            for (int n = 0; n < a.N; n++)
            {
                int acc = a.Bias is null ? 0 : a.Bias[n];
                for (int k = 0; k < a.K; k++) acc += (Arena.Read(arena, a.X + m * a.K + k, a.XSigned) - a.XZero) * a.Weights[n * a.K + k];
                Requantization.Write(arena, a.Y + m * a.N + n, Requantization.Store(acc * a.Multiplier[n], a.YZero, a.YMin, a.YMax), a.YSigned);
            }
    }
}
