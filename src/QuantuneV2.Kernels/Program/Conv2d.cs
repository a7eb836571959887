using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// An fp32 2-D convolution layer of a mixed plan: y = act(conv(x) + Bias [+ z]) on the packed <see cref="Kernels.Conv2d"/>,
/// exactly as the reference executor runs it (the activation in the kernel's epilogue, or after the residual add).
/// </summary>
public static class Conv2d
{
    public sealed class Args
    {
        public int N, C, H, W, OC, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, PadBottom, PadRight, Group, Activation;
        public float[] ActivationParams = [];
        public int X, Y, Z = -1;
        public float[] Weights = [];
        public float[]? Bias;

        private Kernels.Conv2d? _packed;

        /// <summary>The weights packed for the kernel, once (immutable, so threads may share it).</summary>
        internal Kernels.Conv2d Packed => _packed ??= new Kernels.Conv2d(
            new Conv2dGeometry(C, H, W, OC, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, PadBottom, PadRight, Group), Weights, Bias,
            Z < 0 ? Activations.From(Activation, ActivationParams) : Kernels.Activation.None);
    }

    [ThreadStatic] private static float[]? t_scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        var conv = a.Packed;
        var scratch = t_scratch is { } s && s.Length >= conv.ScratchLength ? s : t_scratch = new float[conv.ScratchLength];
        int inPlane = a.C * a.H * a.W, outPlane = a.OC * a.OH * a.OW;
        for (int n = 0; n < a.N; n++)
        {
            var y = Arena.Floats(arena, a.Y + n * outPlane * sizeof(float), outPlane);
            conv.Run(Arena.Floats(arena, a.X + n * inPlane * sizeof(float), inPlane), y, scratch);
            if (a.Z >= 0) Activations.From(a.Activation, a.ActivationParams).AddThenApply(y, Arena.Floats(arena, a.Z + n * outPlane * sizeof(float), outPlane));
        }
    }
}
