using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>Softmax over Outer × Inner groups of Length values (stride Inner): exp(x − max) / Σ exp(x − max), summed in double; the reference executor's Softmax and LogSoftmax run <see cref="Normalize"/> too.</summary>
public static class Softmax
{
    public sealed class Args
    {
        public int Outer, Length, Inner, X, Y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        int count = a.Outer * a.Length * a.Inner;
        Normalize(Arena.Floats(arena, a.X, count), Arena.Floats(arena, a.Y, count), a.Outer, a.Length, a.Inner, log: false);
    }

    /// <summary>Softmax, or with <paramref name="log"/> LogSoftmax (x − max − ln Σ), over the groups; the reference executor's too.</summary>
    public static void Normalize(ReadOnlySpan<float> x, Span<float> y, int outer, int length, int inner, bool log)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * length * inner + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < length; k++) max = Math.Max(max, x[b + k * inner]);
                double sum = 0;
                for (int k = 0; k < length; k++) sum += Math.Exp(x[b + k * inner] - max);
                for (int k = 0; k < length; k++)
                {
                    double v = x[b + k * inner] - max;
                    y[b + k * inner] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
                }
            }
    }
}
