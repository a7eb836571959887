namespace QuantuneV2.Kernels;

/// <summary>Single-precision matrix products, row-major, single-threaded.</summary>
public static unsafe class Sgemm
{
    /// <summary>
    /// C[m, n] = activation(A·B + bias[row]) with A[m, k] packed and B row-major [k, n] with row stride
    /// <paramref name="ldb"/> (≥ n). C is row-major with row stride <paramref name="ldc"/> (≥ n) and is only
    /// written, never read. <paramref name="bias"/> is empty or holds at least m values.
    /// </summary>
    public static void Multiply(
        PackedMatrix a, ReadOnlySpan<float> b, int n, int ldb, Span<float> c, int ldc, ReadOnlySpan<float> bias,
        Activation activation = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        int m = a.Rows, k = a.Depth;
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        CheckMatrix(b.Length, k, n, ldb, nameof(b));
        CheckMatrix(c.Length, m, n, ldc, nameof(c));
        if (!bias.IsEmpty && bias.Length < m)
            throw new ArgumentException($"Bias needs {m} values, got {bias.Length}.", nameof(bias));
        if (m == 0 || n == 0)
            return;

        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pBias = bias)
        {
            if (k == 0)
            {
                for (int i = 0; i < m; i++)
                    new Span<float>(pc + (nint)i * ldc, n).Fill(activation.Apply(pBias != null ? pBias[i] : 0f));
                return;
            }

            var product = new PackedProduct
            {
                A = a, B = pb, N = n, Ldb = ldb, C = pc, Ldc = ldc, Bias = pBias, Activation = activation,
            };
            KernelDispatch.Run(a.Isa, ref product);
        }
    }

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C for operands that change between calls; op(X) is Xᵀ when its flag is set.
    /// op(A) is [m, k], op(B) is [k, n], all row-major with the given row strides. With beta = 0, C is not read.
    /// </summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a));
        CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b));
        CheckMatrix(c.Length, m, n, ldc, nameof(c));
        if (m == 0 || n == 0)
            return;

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                Scale(pc, m, n, ldc, beta);
                return;
            }

            var product = new GeneralProduct
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, A = pa, Lda = lda,
                B = pb, Ldb = ldb, Beta = beta, C = pc, Ldc = ldc,
            };
            KernelDispatch.Run(KernelDispatch.Current, ref product);
        }
    }

    private static void CheckMatrix(int length, int rows, int cols, int ld, string name)
    {
        if (ld < Math.Max(cols, 1))
            throw new ArgumentOutOfRangeException(name, $"Row stride {ld} is less than the row length {cols}.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"Matrix [{rows}, {cols}] with row stride {ld} needs {needed} values, got {length}.", name);
    }

    /// <summary>C *= beta, where beta = 0 clears C even if it held NaN (the BLAS convention).</summary>
    private static void Scale(float* c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (nint)i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                foreach (ref float x in row)
                    x *= beta;
            }
        }
    }

    private struct PackedProduct : IIsaAction
    {
        public PackedMatrix A;
        public float* B;
        public int N;
        public int Ldb;
        public float* C;
        public int Ldc;
        public float* Bias;
        public Activation Activation;

        public void Run<TKernel, TOps, TVec>()
            where TKernel : struct, ISgemmMicroKernel
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            int k = A.Depth;
            nint* rows = Workspace.Offsets(k);
            for (int kk = 0; kk < k; kk++)
                rows[kk] = (nint)kk * Ldb;
            float* edge = Workspace.Floats(GemmDriver<TKernel>.EdgeLength);
            GemmDriver<TKernel>.Run(A.Data, A.Rows, k, B, rows, N, N, C, Ldc, Bias, false, Activation, edge);
        }
    }

    private struct GeneralProduct : IIsaAction
    {
        public bool TransA;
        public bool TransB;
        public int M;
        public int N;
        public int K;
        public float Alpha;
        public float* A;
        public int Lda;
        public float* B;
        public int Ldb;
        public float Beta;
        public float* C;
        public int Ldc;

        public void Run<TKernel, TOps, TVec>()
            where TKernel : struct, ISgemmMicroKernel
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            int mr = TKernel.Mr, nr = TKernel.Nr;
            if (TransB && !TransA && M < mr)
            {
                DotProducts<TOps, TVec>();
                return;
            }

            int aLength = checked(AlignedMemory.RoundUp(AlignedMemory.RoundUp(M, mr) * K, AlignedMemory.Slack));
            int nPadded = AlignedMemory.RoundUp(N, nr);
            // A transposed B is copied to row-major once; a row-major B is read in place.
            int bLength = TransB ? checked(AlignedMemory.RoundUp(K * nPadded, AlignedMemory.Slack)) : 0;
            float* packedA = Workspace.Floats(checked(aLength + bLength + GemmDriver<TKernel>.EdgeLength));
            float* packedB = packedA + aLength;
            float* edge = packedB + bLength;
            nint* rows = Workspace.Offsets(K);

            PackedMatrix.Pack(packedA, A, M, K, TransA ? 1 : Lda, TransA ? Lda : 1, mr, Alpha);
            float* b = B;
            int readable = N;
            if (TransB)
            {
                Transpose(B, Ldb, N, K, packedB, nPadded);
                b = packedB;
                readable = nPadded;
            }

            for (int kk = 0; kk < K; kk++)
                rows[kk] = (nint)kk * (TransB ? nPadded : Ldb);
            if (Beta != 0f)
                Scale(C, M, N, Ldc, Beta);
            GemmDriver<TKernel>.Run(packedA, M, K, b, rows, N, readable, C, Ldc, null, Beta != 0f, default, edge);
        }

        /// <summary>
        /// C[i, j] = alpha·A[i, :]·B[j, :] + beta·C[i, j], both operands' rows contiguous. With fewer rows than a
        /// micro-tile (a fully connected layer on a small batch) this streams B once per row instead of
        /// transposing it and running mostly empty tiles.
        /// </summary>
        private readonly void DotProducts<TOps, TVec>()
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            for (int i = 0; i < M; i++)
            {
                float* a = A + (nint)i * Lda, c = C + (nint)i * Ldc;
                for (int j = 0; j < N; j++)
                {
                    float dot = Alpha * Dot<TOps, TVec>(a, B + (nint)j * Ldb, K);
                    c[j] = Beta == 0f ? dot : dot + Beta * c[j];
                }
            }
        }

        private static float Dot<TOps, TVec>(float* x, float* y, int length)
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            // Four sums in flight hide the FMA latency.
            int w = TOps.Count, i = 0;
            TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
            for (; i + 4 * w <= length; i += 4 * w)
            {
                s0 = TOps.MulAdd(TOps.Load(x + i), TOps.Load(y + i), s0);
                s1 = TOps.MulAdd(TOps.Load(x + i + w), TOps.Load(y + i + w), s1);
                s2 = TOps.MulAdd(TOps.Load(x + i + 2 * w), TOps.Load(y + i + 2 * w), s2);
                s3 = TOps.MulAdd(TOps.Load(x + i + 3 * w), TOps.Load(y + i + 3 * w), s3);
            }

            for (; i + w <= length; i += w)
                s0 = TOps.MulAdd(TOps.Load(x + i), TOps.Load(y + i), s0);
            float sum = TOps.Sum(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)));
            for (; i < length; i++)
                sum = float.MultiplyAddEstimate(x[i], y[i], sum);
            return sum;
        }

        /// <summary>dst[kk, j] = src[j, kk] for a [rows, cols] source; columns rows..ldd of dst are zeroed.</summary>
        private static void Transpose(float* src, int lds, int rows, int cols, float* dst, int ldd)
        {
            // 16×16 blocks: the 16 destination rows a block writes stay in cache (and TLB) while it is filled.
            const int Block = 16;
            for (int j0 = 0; j0 < rows; j0 += Block)
            {
                int jEnd = Math.Min(j0 + Block, rows);
                for (int k0 = 0; k0 < cols; k0 += Block)
                {
                    int kEnd = Math.Min(k0 + Block, cols);
                    for (int j = j0; j < jEnd; j++)
                    {
                        float* s = src + (nint)j * lds;
                        for (int kk = k0; kk < kEnd; kk++)
                            dst[(nint)kk * ldd + j] = s[kk];
                    }
                }
            }

            for (int kk = 0; kk < cols; kk++)
                new Span<float>(dst + (nint)kk * ldd + rows, ldd - rows).Clear();
        }
    }
}
