namespace QuantuneV2.Kernels;

/// <summary>
/// The fp32 fully connected layer y = act(alpha·op(A)·op(B) + beta·C), C broadcast to [m, n] by its strides
/// (0 repeats a row or column). One definition for the reference executor's Gemm and the generated code, so an
/// fp32 layer computes the same bits in both.
/// </summary>
public static class DenseLayer
{
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        float beta, ReadOnlySpan<float> c, int cRowStride, int cColStride, Activation activation, Span<float> y)
    {
        if (c.IsEmpty || beta == 0) y[..(m * n)].Clear();
        else
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) y[i * n + j] = beta * c[i * cRowStride + j * cColStride];
        Accumulate(transA, transB, m, n, k, alpha, a, b, y);
        activation.ApplyInPlace(y[..(m * n)]);
    }

    /// <summary>y += alpha·op(a)·op(b), y [m, n] row-major.</summary>
    public static void Accumulate(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) =>
        Sgemm.Multiply(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, 1f, y, n);
}
