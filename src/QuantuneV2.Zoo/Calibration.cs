using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Zoo;

/// <summary>
/// Makes a freshly initialized network behave like a trained one numerically: every BN's running
/// mean/variance become the per-channel statistics of its input over synthetic images, so each BN
/// output is about N(beta, gamma²) however deep the layer; then the classifier is scaled so the
/// logits spread about <see cref="LogitStd"/>.
/// </summary>
internal static class Calibration
{
    public const int ImageCount = 2;
    public const double LogitStd = 2.0;

    /// <summary>
    /// One executor pass: the observer sees each BN input right after it is computed and writes the
    /// statistics into that BN's mean/variance tensors, which the BN kernel reads when it runs next.
    /// Deeper layers therefore already see normalized activations in the same pass.
    /// </summary>
    public static void Run(Graph graph, IReadOnlyList<BatchNormStatistics> batchNorms, IReadOnlyList<Tensor> classifier, int seed)
    {
        var images = SyntheticImages.Create(ImageCount, seed);
        var byInput = batchNorms.ToLookup(b => b.Input);
        var session = new Session(graph.WithBatch(ImageCount), observe: byInput.Select(g => g.Key));
        var logits = session.Run([images], (name, value) =>
        {
            foreach (var bn in byInput[name]) ChannelStatistics(value, bn.Mean.Floats, bn.Variance.Floats);
        })[0];

        Span<float> mean = stackalloc float[1], variance = stackalloc float[1];
        ChannelStatistics(logits.Reshaped([1, 1, logits.Length]), mean, variance);
        double std = Math.Sqrt(variance[0]);
        if (!double.IsFinite(std) || std == 0)
            throw new InvalidOperationException($"{graph.Name}: calibration produced degenerate logits (std {std})");
        // A power of two is exact in float, and tiny executor rounding differences cannot move it.
        double scale = PowerOfTwoNear(LogitStd / std);
        foreach (var p in classifier)
        {
            var v = p.Floats;
            for (int i = 0; i < v.Length; i++) v[i] *= (float)scale;
        }
    }

    /// <summary>Per-channel mean and (population) variance over batch and space of an [N, C, ...] tensor.</summary>
    private static void ChannelStatistics(Tensor x, Span<float> mean, Span<float> variance)
    {
        int n = x.Dims[0], c = x.Dims[1], size = x.Length / (n * c);
        var data = x.Floats;
        for (int k = 0; k < c; k++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                foreach (var v in data.Slice((b * c + k) * size, size)) sum += v;
            double m = sum / (n * size), squares = 0;
            for (int b = 0; b < n; b++)
                foreach (var v in data.Slice((b * c + k) * size, size)) squares += (v - m) * (v - m);
            mean[k] = (float)m;
            variance[k] = (float)(squares / (n * size));
        }
    }

    private static double PowerOfTwoNear(double ratio)
    {
        int k = 0;
        while (ratio > Math.Sqrt(2)) { ratio /= 2; k++; }
        while (ratio < Math.Sqrt(0.5)) { ratio *= 2; k--; }
        return Math.ScaleB(1.0, k);
    }
}
