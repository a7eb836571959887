namespace QuantuneV2.Kernels.Program;

/// <summary>A concatenation that copies (fp32, or int8 with equal quantization): in each of Outer blocks, input i (at Xs[i]) gives Inner[i] bytes.</summary>
public static class Concat
{
    public sealed class Args
    {
        public int Outer, Y;
        public int[] Inner = [], Xs = [];
    }

    public static void Run(Args a, Span<byte> arena)
    {
        int o = a.Y;
        for (int b = 0; b < a.Outer; b++)
            for (int i = 0; i < a.Xs.Length; i++)
            {
                arena.Slice(a.Xs[i] + b * a.Inner[i], a.Inner[i]).CopyTo(arena.Slice(o, a.Inner[i]));
                o += a.Inner[i];
            }
    }
}
