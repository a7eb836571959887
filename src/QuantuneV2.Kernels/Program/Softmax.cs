namespace QuantuneV2.Kernels.Program;

/// <summary>Softmax over Outer × Inner groups of Length values (stride Inner): exp(x − max) / Σ exp(x − max), summed in double as the reference does.</summary>
public static class Softmax
{
    public sealed class Args
    {
        public int Outer, Length, Inner, X, Y;
    }

    public static void Run(Args a, Span<byte> arena)
    {
        int count = a.Outer * a.Length * a.Inner;
        var x = Arena.Floats(arena, a.X, count);
        var y = Arena.Floats(arena, a.Y, count);
        for (int o = 0; o < a.Outer; o++)
            for (int i = 0; i < a.Inner; i++)
            {
                int b = o * a.Length * a.Inner + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < a.Length; k++) max = Math.Max(max, x[b + k * a.Inner]);
                double sum = 0;
                for (int k = 0; k < a.Length; k++) sum += Math.Exp(x[b + k * a.Inner] - max);
                for (int k = 0; k < a.Length; k++) y[b + k * a.Inner] = (float)(Math.Exp(x[b + k * a.Inner] - max) / sum);
            }
    }
}
