using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>Row-major y[m,n] += alpha·op(a)·op(b): the matrix product behind Gemm and MatMul.</summary>
internal static class MatrixMultiply
{
    public static void Accumulate(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) =>
        Sgemm.Multiply(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, 1f, y, n);
}
