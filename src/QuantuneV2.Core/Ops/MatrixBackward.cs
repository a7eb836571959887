using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// The backward of y = act(alpha·a·op(b) + c) to a, for a constant b [k, n] (or [n, k] when <paramref name="transB"/>):
/// a's cotangent += alpha·(act′ ⊙ dy)·op(b)ᵀ. Serves Gemm, FusedGemm and 2-D MatMul.
/// </summary>
internal sealed class MatrixBackward(float[] b, bool transB, int m, int n, int k, float alpha, Activation activation) : BackwardKernel
{
    private readonly float[] _scaled = new float[m * n];

    public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
    {
        if (inputGradients[0] is not { } a) return;
        FusedActivation.Derivative(activation, output.Floats, outputGradient, _scaled);
        DenseLayer.Accumulate(false, !transB, m, k, n, alpha, _scaled, b, a);
    }
}
