using QuantuneV2.Kernels;

namespace QuantuneV2.Benchmarks;

/// <summary>Matrix products the executor runs outside convolutions: FC layers and a square MatMul.</summary>
public static class GemmShapes
{
    public static readonly IReadOnlyDictionary<string, Shape> All = new Dictionary<string, Shape>
    {
        ["FC1000x512 packed"] = new(1000, 1, 512, TransB: false, Packed: true),
        ["FC1000x512 transB"] = new(1, 1000, 512, TransB: true, Packed: false),
        ["MatMul 256^3"] = new(256, 256, 256, TransB: false, Packed: false),
    };

    /// <summary>
    /// C[M, N] = A·op(B). Packed: A is constant weights (an FC layer computes W·x); otherwise both operands go
    /// through the general overload.
    /// </summary>
    public readonly record struct Shape(int M, int N, int K, bool TransB, bool Packed)
    {
        public long MultiplyAccumulates => (long)M * N * K;
    }

    /// <summary>A product with random operands, ready to run.</summary>
    public sealed class Instance
    {
        private readonly Shape _s;
        private readonly float[] _a, _b, _c;
        private readonly PackedMatrix _packed;

        public Instance(Shape s)
        {
            var rng = new Random(42);
            float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            _s = s;
            _a = Fill(s.M * s.K);
            _b = Fill(s.K * s.N);
            _c = new float[s.M * s.N];
            _packed = PackedMatrix.Pack(_a, s.M, s.K);
        }

        public void Run()
        {
            if (_s.Packed)
                Sgemm.Multiply(_packed, _b, _s.N, _s.N, _c, _s.N, []);
            else
                Sgemm.Multiply(false, _s.TransB, _s.M, _s.N, _s.K, 1f, _a, _s.K, _b, _s.TransB ? _s.K : _s.N, 0f, _c, _s.N);
        }
    }
}
