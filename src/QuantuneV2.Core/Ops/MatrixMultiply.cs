namespace QuantuneV2.Core.Ops;

/// <summary>Row-major y[m,n] += alpha·op(a)·op(b): the matrix product behind Gemm and MatMul.</summary>
internal static class MatrixMultiply
{
    public static void Accumulate(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int i = 0; i < m; i++)
        {
            var row = y.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float av = alpha * (transA ? a[p * m + i] : a[i * k + p]);
                if (transB)
                    for (int j = 0; j < n; j++) row[j] += av * b[j * k + p];
                else
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), av, row, row);
            }
        }
    }
}
