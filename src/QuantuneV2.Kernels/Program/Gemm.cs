using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>An fp32 fully connected layer of a mixed plan: y = act(Alpha·x·op(B) + Beta·C) by <see cref="DenseLayer"/>, as the reference executor runs it.</summary>
public static class Gemm
{
    public sealed class Args
    {
        public int M, K, N, Activation, X, Y, CRowStride, CColStride;
        public bool TransB;
        public float Alpha, Beta;
        public float[] ActivationParams = [];
        public float[] B = [];
        public float[]? C;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena) =>
        DenseLayer.Run(false, a.TransB, a.M, a.N, a.K, a.Alpha, Arena.Floats(arena, a.X, a.M * a.K), a.B, a.Beta, a.C, a.CRowStride, a.CColStride,
            Activations.From(a.Activation, a.ActivationParams), Arena.Floats(arena, a.Y, a.M * a.N));
}
