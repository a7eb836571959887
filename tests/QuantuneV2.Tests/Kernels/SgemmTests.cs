using QuantuneV2.Kernels;
using static QuantuneV2.Tests.Kernels.KernelTestSupport;

namespace QuantuneV2.Tests.Kernels;

public class SgemmTests
{
    // Around every tile width in use (Mr 6/8, Nr 2/8/12/16/48) plus 1 and 70.
    private static readonly int[] Sizes = [1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 31, 33, 47, 48, 49, 64, 70];

    public static TheoryData<string> AllIsas => Isas();

    [Theory]
    [MemberData(nameof(AllIsas))]
    public void PackedProductMatchesReferenceForAllTailSizes(string isa)
    {
        using var _ = Force(isa);
        var rng = new Random(1);
        int i = 0;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                int k = Sizes[(i * 7 + 3) % Sizes.Length];
                var activation = Activations.ElementAt(i % Activations.Count());
                bool withBias = i % 3 != 0;
                // Strides beyond the row length on every other case.
                int ldb = n + (i % 2) * 5, ldc = n + (i % 2) * 3;
                CheckPacked(rng, m, n, k, ldb, ldc, withBias, activation);
                i++;
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllIsas))]
    public void PackedProductCrossesDepthAndColumnBlocks(string isa)
    {
        using var _ = Force(isa);
        var rng = new Random(2);
        CheckPacked(rng, 19, 601, 600, 613, 605, withBias: true, Activation.Relu);
        CheckPacked(rng, 70, 300, 513, 300, 300, withBias: false, Activation.None);
        CheckPacked(rng, 9, 1, 1000, 1, 1, withBias: true, Activation.Clip(0, 6));
    }

    [Theory]
    [MemberData(nameof(AllIsas))]
    public void GeneralProductMatchesReferenceForTransposesAlphaBeta(string isa)
    {
        using var _ = Force(isa);
        var rng = new Random(3);
        (float Alpha, float Beta)[] scalings = [(1, 0), (1, 1), (-0.5f, 0.75f), (2, 0), (0, 0.5f)];
        int i = 0;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes.Where((_, j) => j % 3 == m % 3))
            {
                int k = Sizes[(i * 5 + 1) % Sizes.Length];
                var (alpha, beta) = scalings[i % scalings.Length];
                CheckGeneral(rng, i % 2 == 1, i / 2 % 2 == 1, m, n, k, alpha, beta, extraStride: i % 3);
                i++;
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllIsas))]
    public void GeneralProductCrossesBlocks(string isa)
    {
        using var _ = Force(isa);
        var rng = new Random(4);
        CheckGeneral(rng, false, false, 33, 520, 700, 1, 0, extraStride: 2);
        CheckGeneral(rng, true, true, 65, 270, 300, 0.5f, 1, extraStride: 1);
        CheckGeneral(rng, false, true, 1, 1000, 512, 1, 0, extraStride: 0);
    }

    [Fact]
    public void ZeroDepthGivesActivatedBias()
    {
        var a = PackedMatrix.Pack([], 3, 0);
        var c = new float[6];
        Sgemm.Multiply(a, [], 2, 2, c, 2, [1f, -2f, 7f], Activation.Clip(0, 6));
        Assert.Equal([1f, 1f, 0f, 0f, 6f, 6f], c);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        var c = new[] { float.NaN, float.NaN };
        Sgemm.Multiply(false, false, 1, 2, 1, 1f, [2f], 1, [3f, 4f], 2, 0f, c, 2);
        Assert.Equal([6f, 8f], c);
    }

    [Fact]
    public void TooShortOperandsAreRejected()
    {
        var a = PackedMatrix.Pack(new float[6], 2, 3);
        Assert.Throws<ArgumentException>(() => Sgemm.Multiply(a, new float[8], 3, 3, new float[6], 3, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Multiply(a, new float[9], 3, 2, new float[6], 3, []));
        Assert.Throws<ArgumentException>(() => Sgemm.Multiply(a, new float[9], 3, 3, new float[6], 3, [1f]));
        Assert.Throws<ArgumentException>(() => Sgemm.Multiply(true, false, 2, 2, 3, 1, new float[5], 2, new float[6], 2, 0, new float[4], 2));
    }

    [Fact]
    public void MatrixPackedForOneIsaStillMultipliesUnderAnother()
    {
        var rng = new Random(5);
        var values = Random(rng, 20 * 30);
        PackedMatrix packed;
        using (KernelDispatch.Force(KernelIsa.Scalar))
            packed = PackedMatrix.Pack(values, 20, 30);
        var b = Random(rng, 30 * 10);
        var c = new float[20 * 10];
        Sgemm.Multiply(packed, b, 10, 10, c, 10, []);
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                double sum = 0, magnitude = 0;
                for (int kk = 0; kk < 30; kk++)
                {
                    sum += (double)values[i * 30 + kk] * b[kk * 10 + j];
                    magnitude += Math.Abs((double)values[i * 30 + kk] * b[kk * 10 + j]);
                }

                AssertClose(c[i * 10 + j], sum, magnitude, $"c[{i},{j}]");
            }
        }
    }

    private static void CheckPacked(Random rng, int m, int n, int k, int ldb, int ldc, bool withBias, Activation activation)
    {
        var a = Random(rng, m * k);
        var b = Random(rng, k == 0 ? 0 : (k - 1) * ldb + n);
        var bias = withBias ? Random(rng, m) : [];
        const float Sentinel = 12345f;
        var c = Enumerable.Repeat(Sentinel, (m - 1) * ldc + n).ToArray();

        Sgemm.Multiply(PackedMatrix.Pack(a, m, k), b, n, ldb, c, ldc, bias, activation);

        string shape = $"m={m} n={n} k={k} ldb={ldb} ldc={ldc} bias={withBias} {activation}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                if (j >= n)
                {
                    Assert.True(c[i * ldc + j] == Sentinel, $"{shape}: wrote outside C at [{i},{j}]");
                    continue;
                }

                double sum = withBias ? bias[i] : 0, magnitude = Math.Abs(sum);
                for (int kk = 0; kk < k; kk++)
                {
                    double p = (double)a[i * k + kk] * b[kk * ldb + j];
                    sum += p;
                    magnitude += Math.Abs(p);
                }

                AssertClose(c[i * ldc + j], Apply(activation, sum), magnitude, $"{shape} c[{i},{j}]", activation);
            }
        }
    }

    private static void CheckGeneral(Random rng, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int extraStride)
    {
        int lda = (transA ? m : k) + extraStride, ldb = (transB ? k : n) + extraStride, ldc = n + extraStride;
        var a = Random(rng, ((transA ? k : m) - 1) * lda + (transA ? m : k));
        var b = Random(rng, ((transB ? n : k) - 1) * ldb + (transB ? k : n));
        var c = Random(rng, (m - 1) * ldc + n);
        if (beta == 0)
            Array.Fill(c, float.NaN);
        var before = (float[])c.Clone();

        Sgemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        string shape = $"tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} extra={extraStride}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                if (j >= n)
                {
                    Assert.True(before[i * ldc + j].Equals(c[i * ldc + j]), $"{shape}: wrote outside C at [{i},{j}]");
                    continue;
                }

                double sum = 0, magnitude = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    double p = (double)(transA ? a[kk * lda + i] : a[i * lda + kk]) * (transB ? b[j * ldb + kk] : b[kk * ldb + j]);
                    sum += p;
                    magnitude += Math.Abs(p);
                }

                double old = beta == 0 ? 0 : before[i * ldc + j];
                double expected = alpha * sum + beta * old;
                AssertClose(c[i * ldc + j], expected, Math.Abs(alpha) * magnitude + Math.Abs(beta * old), $"{shape} c[{i},{j}]");
            }
        }
    }
}
