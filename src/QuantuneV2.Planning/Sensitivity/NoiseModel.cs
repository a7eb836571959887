using System.Numerics.Tensors;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// Predicts the output noise of a mixed plan, boundaries included (docs/method.md). The noise comes from
/// sources: the weights of every int8 layer and the rounding of every activation stored in 8 bits. An
/// activation is stored in 8 bits when an int8 layer writes it (an int8 MaxPool or layout op re-uses its
/// input's encoding: no new noise) or reads it. So a layer kept fp32 alone removes its weight noise, but the
/// rounding of its input and output goes only when their producer and every consumer are fp32 too: islands
/// pay for their boundaries.
/// <para>Each source's effect on the output is measured, not assumed: <see cref="NoiseProjection"/> gives its
/// first-order projections on random output directions per sample, and the predicted output noise of a mix
/// is the mean square of the summed projections of the sources it keeps, over the output signal energy.</para>
/// </summary>
public sealed class NoiseModel
{
    /// <summary>A noise source: the weights of layer <paramref name="Layer"/> (on while it is int8), or the rounding of a tensor written by layer <paramref name="Producer"/> (−1: a graph input or a non-layer op) and read by layers <paramref name="Consumers"/>.</summary>
    public sealed record Source(NoiseProjection.Source Error, int Layer, int Producer, bool ProducerKeepsEncoding, int[] Consumers)
    {
        public bool IsWeights => Error.Twin is not null;

        public bool IsOn(IReadOnlyList<bool> fp32)
        {
            if (IsWeights) return !fp32[Layer];
            bool writtenInt8 = Producer >= 0 && !fp32[Producer];
            return writtenInt8 ? !ProducerKeepsEncoding : Consumers.Any(c => !fp32[c]);
        }
    }

    private readonly IReadOnlyList<Source> _sources;
    private readonly double[][] _projections;
    private double _scale;
    private double[] _sum;
    // Enough layers to index every source's: all-int8 is this many false.
    private readonly int _layerCount;

    /// <param name="projections">Per source, its projections on the output directions (<see cref="NoiseProjection"/>); all of one length.</param>
    /// <param name="outputEnergy">The output signal energy over the samples the projections cover.</param>
    /// <param name="outputs">The values the projections start from (<see cref="NoiseProjection"/>).</param>
    public NoiseModel(IReadOnlyList<Source> sources, double[][] projections, double outputEnergy, IReadOnlyList<string>? outputs = null)
    {
        _sources = sources;
        _projections = projections;
        _sum = new double[projections.Length > 0 ? projections[0].Length : 0];
        // Mean over the directions of each sample's squared sum, over the signal energy of all samples.
        _scale = outputEnergy > 0 ? 1.0 / (NoiseProjection.Projections * outputEnergy) : 0;
        _layerCount = sources.Select(s => Math.Max(s.Layer, Math.Max(s.Producer, s.Consumers.DefaultIfEmpty(-1).Max()))).DefaultIfEmpty(-1).Max() + 1;
        Outputs = outputs ?? [];
    }

    /// <summary>Where the predicted noise is measured: the values the projections start from.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>
    /// The same model scaled so that all-int8 predicts <paramref name="measuredNsr"/>, the NSR the all-int8
    /// inference measured at <see cref="Outputs"/>: first order misses how the nonlinearities (ReLUs, max
    /// pools switching under noise) amplify the noise, and this puts the curve at the measured level without
    /// changing its shape or the ranking.
    /// </summary>
    public NoiseModel CalibratedTo(double measuredNsr)
    {
        double predicted = PredictedNsr(new bool[_layerCount]);
        if (predicted <= 0 || measuredNsr <= 0) return this;
        var calibrated = (NoiseModel)MemberwiseClone();
        calibrated._sum = new double[_sum.Length];
        calibrated._scale = _scale * measuredNsr / predicted;
        return calibrated;
    }

    /// <summary>The sources of <paramref name="fused"/> quantized as <paramref name="layers"/> with the calibrated <paramref name="tensors"/>, measured over the calibration samples.</summary>
    public static NoiseModel Measure(Graph fused, IReadOnlyList<PlanLayer> layers, IReadOnlyList<PlanTensor> tensors, PlanOptions options,
        int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null)
    {
        var twins = WeightTwins.Build(fused, layers.Select(l => l.Name), options);
        var sources = Sources(fused, layers, twins, tensors.Select(t => t.Name));
        var rounding = tensors.ToDictionary(t => t.Name, t => new QuantParams(t.Scale, t.ZeroPoint, options.ActivationType), StringComparer.Ordinal);
        var (projections, energy, outputs) = NoiseProjection.Measure(twins.Graph, [.. sources.Select(s => s.Error)], rounding, count, fill, threads, progress);
        return new NoiseModel(sources, projections, energy, outputs);
    }

    /// <summary>One weight source per layer with weights, one rounding source per calibrated tensor (a layout op's output shares its input's).</summary>
    public static IReadOnlyList<Source> Sources(Graph fused, IReadOnlyList<PlanLayer> layers, WeightTwins twins, IEnumerable<string> tensors)
    {
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        int LayerOf(Node? n) => n is not null && index.TryGetValue(n.DisplayName, out int i) ? i : -1;
        var sources = new List<Source>();
        foreach (var node in fused.Nodes)
            if (twins.TwinOutputOf.TryGetValue(node.DisplayName, out var twin))
                sources.Add(new Source(new(node.Outputs[0], twin), LayerOf(node), -1, false, []));
        var calibrated = tensors.ToHashSet(StringComparer.Ordinal);
        foreach (var value in calibrated)
        {
            var producer = fused.Producer(value);
            if (producer is not null && Quantizer.IsLayout(producer) && calibrated.Contains(producer.Inputs[0])) continue;
            int p = LayerOf(producer);
            sources.Add(new Source(new(value, null), -1, p, p >= 0 && producer!.OpType == "MaxPool", [.. Consumers(fused, value).Select(LayerOf).Where(c => c >= 0).Distinct()]));
        }
        return sources;
    }

    /// <summary>Predicted output NSR (noise over signal energy) with <paramref name="fp32"/>[i] true for the layers kept fp32.</summary>
    public double PredictedNsr(IReadOnlyList<bool> fp32)
    {
        Array.Clear(_sum);
        for (int k = 0; k < _sources.Count; k++)
            if (_sources[k].IsOn(fp32)) TensorPrimitives.Add(_sum, _projections[k], _sum);
        return TensorPrimitives.Dot<double>(_sum, _sum) * _scale;
    }

    public static double SqnrDb(double nsr) => nsr <= 0 ? double.PositiveInfinity : -10 * Math.Log10(nsr);

    /// <summary>
    /// Greedy order in which to keep layers fp32: starting from <paramref name="fp32"/> (layers already
    /// fp32), each step adds the candidate that lowers the predicted noise most; ties go to the earlier
    /// candidate in <paramref name="candidates"/> (the sensitivity ranking). O(n²) predictions.
    /// </summary>
    /// <returns>The candidates in that order, each with the predicted NSR once it and all before it are fp32.</returns>
    public IReadOnlyList<(int Layer, double Nsr)> GreedyOrder(IReadOnlyList<int> candidates, IReadOnlyList<bool> fp32)
    {
        var state = fp32.ToArray();
        var left = candidates.ToList();
        var order = new List<(int, double)>();
        while (left.Count > 0)
        {
            int best = -1;
            double bestNsr = double.PositiveInfinity;
            foreach (int c in left)
            {
                state[c] = true;
                double nsr = PredictedNsr(state);
                state[c] = false;
                if (nsr < bestNsr) (best, bestNsr) = (c, nsr);
            }
            state[best] = true;
            left.Remove(best);
            order.Add((best, bestNsr));
        }
        return order;
    }

    private static IEnumerable<Node> Consumers(Graph graph, string value) =>
        graph.Consumers(value).SelectMany(c => Quantizer.IsLayout(c) ? Consumers(graph, c.Outputs[0]) : [c]);
}
