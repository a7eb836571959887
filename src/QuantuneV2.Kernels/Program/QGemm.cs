using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 fully connected layer: y[m, n] = clamp(round_half_even(float32(Bias[n] + Σ_k (x[m, k] − XZero)·w[n, k])·Multiplier[n]) + YZero).
/// It is a 1×1 convolution over M pixels of K channels (x is row-major [M, K], which is channels-last), so it runs
/// on <see cref="QConv2d"/>'s packed kernels.
/// </summary>
public static class QGemm
{
    public sealed class Args
    {
        public int M, K, N, XZero, YZero, YMin, YMax, X, Y;
        public bool XSigned, YSigned;
        public sbyte[] Weights = [];
        public int[]? Bias;
        public float[] Multiplier = [];
        /// <summary>The layouts the tool packed at build time, as <see cref="QConv2d.Args"/> takes them; empty: packed on first use.</summary>
        public sbyte[] PackedWeights = [];
        public int[] FoldedBias = [], SignedFoldedBias = [];

        private QConv2d.Args? _conv;

        /// <summary>The same layer as a 1×1 convolution, made on first use.</summary>
        internal QConv2d.Args Conv => _conv ??= new QConv2d.Args
        {
            N = 1, C = K, H = M, W = 1, OC = N, OH = M, OW = 1, KH = 1, KW = 1, SH = 1, SW = 1, DH = 1, DW = 1, Group = 1,
            XZero = XZero, YZero = YZero, YMin = YMin, YMax = YMax, XSigned = XSigned, YSigned = YSigned,
            X = X, Y = Y, Weights = Weights, Bias = Bias, Multiplier = Multiplier,
            PackedWeights = PackedWeights, FoldedBias = FoldedBias, SignedFoldedBias = SignedFoldedBias,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena) => QConv2d.Run(a.Conv, arena);
}
