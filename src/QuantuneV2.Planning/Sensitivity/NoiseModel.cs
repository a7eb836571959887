using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// Predicts the output noise of a mixed plan from the two inferences of the analysis, boundaries included
/// (docs/method.md). The noise is a sum of independent sources: the weight noise of every int8 layer and
/// the rounding noise of every activation stored in 8 bits (<see cref="RoundingNoise"/>). An activation is
/// stored in 8 bits when an int8 layer writes it (an int8 MaxPool or layout op re-uses its input's
/// encoding: no new noise) or reads it. So a layer kept fp32 alone removes its weight noise, but the
/// rounding of its input and output goes only when their producer and every consumer are fp32 too:
/// islands pay for their boundaries.
/// <para>Each source reaches the output scaled by a gain, measured rather than assumed: the all-int8 trace
/// gives each layer's input and output noise energies, and what the output holds beyond the layer's own
/// noise, divided by its input noise, is how much input noise the layer passes on (a global average pool
/// passes little, a 3×3 expand more than it receives). Multiplying these backwards from the last layers
/// gives every value's gain to the output NSR. Ops without an int8 form (e.g. a final Softmax) are taken
/// to preserve the NSR they receive.</para>
/// </summary>
public sealed class NoiseModel
{
    // Each source's share of the output NSR: per layer its weight noise, per stored tensor its rounding.
    private readonly double[] _weightNoise;
    private readonly List<(double Noise, int Producer, bool ProducerKeepsEncoding, int[] Consumers)> _roundings = [];

    /// <param name="layers">The plan's layers with their sensitivity metrics (weight SQNR).</param>
    /// <param name="traces">The analysis' compared traces of every layer's inputs and output (<see cref="SensitivityAnalysis"/>).</param>
    /// <param name="rounding">Per calibrated tensor, its signal and rounding-noise energies (<see cref="RoundingNoise"/>).</param>
    public NoiseModel(Graph fused, IReadOnlyList<PlanLayer> layers, IReadOnlyDictionary<string, ValueNoise> traces, IReadOnlyDictionary<string, SqnrAccumulator> rounding)
    {
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        int LayerOf(Node? n) => n is not null && index.TryGetValue(n.DisplayName, out int i) ? i : -1;
        var gain = Gains(fused, layers, index, traces, rounding);
        double Gain(string v) => gain.GetValueOrDefault(v);
        var nodes = fused.Nodes.Where(n => index.ContainsKey(n.DisplayName)).ToDictionary(n => n.DisplayName, StringComparer.Ordinal);
        _weightNoise = [.. layers.Select(l => WeightNoise(l, traces, nodes[l.Name]) * Gain(nodes[l.Name].Outputs[0]))];
        foreach (var (value, energy) in rounding)
        {
            var producer = fused.Producer(value);
            // A layout op's output shares its input's int8 encoding: it is counted with the input.
            if (producer is not null && Quantizer.IsLayout(producer) && rounding.ContainsKey(producer.Inputs[0])) continue;
            int p = LayerOf(producer);
            _roundings.Add((energy.Noise * Gain(value), p, p >= 0 && producer!.OpType == "MaxPool", [.. Consumers(fused, value).Select(LayerOf).Where(c => c >= 0).Distinct()]));
        }
    }

    /// <summary>Predicted output NSR (noise over signal energy) with <paramref name="fp32"/>[i] true for the layers kept fp32.</summary>
    public double PredictedNsr(IReadOnlyList<bool> fp32)
    {
        double sum = 0;
        for (int i = 0; i < _weightNoise.Length; i++)
            if (!fp32[i]) sum += _weightNoise[i];
        foreach (var (noise, producer, keepsEncoding, consumers) in _roundings)
        {
            bool writtenInt8 = producer >= 0 && !fp32[producer];
            bool stored = writtenInt8 ? !keepsEncoding : consumers.Any(c => !fp32[c]);
            if (stored) sum += noise;
        }
        return sum;
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

    /// <summary>Noise energy of a layer's int8 weights at its output: weight NSR × output signal energy.</summary>
    private static double WeightNoise(PlanLayer layer, IReadOnlyDictionary<string, ValueNoise> traces, Node node) =>
        Nsr(layer.Sensitivity?.WeightSqnrDb ?? double.PositiveInfinity) * traces[node.Outputs[0]].Energy.Signal;

    /// <summary>Output NSR per unit of noise energy at each value, from the last layers backwards.</summary>
    private static Dictionary<string, double> Gains(Graph fused, IReadOnlyList<PlanLayer> layers, Dictionary<string, int> index,
        IReadOnlyDictionary<string, ValueNoise> traces, IReadOnlyDictionary<string, SqnrAccumulator> rounding)
    {
        var gain = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string v, double g) => gain[v] = gain.GetValueOrDefault(v) + g;
        // Values the graph hands on in fp32 (outputs, inputs of ops without an int8 form): NSR kept from there on.
        void Terminal(string v)
        {
            // A layout op's output (a final Flatten) is not traced: its input carries the same values.
            while (!traces.ContainsKey(v) && fused.Producer(v) is { } p && Quantizer.IsLayout(p)) v = p.Inputs[0];
            if (traces.TryGetValue(v, out var t) && t.Energy.Signal > 0) Add(v, 1 / t.Energy.Signal);
        }
        foreach (var o in fused.Outputs) Terminal(o.Name);
        foreach (var node in fused.Nodes.Reverse())
        {
            if (Quantizer.IsLayout(node))
            {
                if (gain.TryGetValue(node.Outputs[0], out var g)) Add(node.Inputs[0], g);
                continue;
            }
            if (!index.TryGetValue(node.DisplayName, out int layer))
            {
                foreach (var input in node.Inputs.Where(i => i.Length > 0 && !fused.Constants.ContainsKey(i))) Terminal(input);
                continue;
            }
            var output = node.Outputs[0];
            if (!gain.TryGetValue(output, out var outGain) || !traces.TryGetValue(output, out var outTrace)) continue;
            var inputs = Quantizer.ActivationInputs(node).Where(v => !fused.Constants.ContainsKey(v)).Distinct().ToList();
            // Noise energy the output holds beyond the layer's own (weights, output rounding).
            double own = WeightNoise(layers[layer], traces, node) + (node.OpType == "MaxPool" ? 0 : rounding.GetValueOrDefault(output).Noise);
            double passed = Math.Max(0, outTrace.Energy.Noise - own);
            if (node.OpType is "Concat" or "Add")
            {
                // Inputs are copied or added: their noise reaches the output as it is.
                foreach (var v in inputs) Add(v, outGain);
                continue;
            }
            // What the layer passed on is shared between its inputs (a residual conv's x and z) in proportion
            // to what each would bring if the layer kept its NSR: its NSR times the output signal. When the
            // layer's own noise hides what it passed on, the output noise is split the same way between the
            // inputs and the layer's own noise.
            var traced = inputs.Where(v => traces.TryGetValue(v, out var t) && t.Energy.Signal > 0).Select(v => (Value: v, Energy: traces[v].Energy)).ToList();
            var kept = traced.Select(t => t.Energy.Noise / t.Energy.Signal * outTrace.Energy.Signal).ToList();
            double keptSum = kept.Sum();
            if (passed <= 0) passed = keptSum + own > 0 ? outTrace.Energy.Noise * keptSum / (keptSum + own) : 0;
            for (int k = 0; k < traced.Count; k++)
            {
                var (v, e) = traced[k];
                // An exact input (no noise to measure against) gets the NSR-keeping prior.
                Add(v, outGain * (e.Noise > 0 ? passed * kept[k] / keptSum / e.Noise : outTrace.Energy.Signal / e.Signal));
            }
        }
        return gain;
    }

    private static IEnumerable<Node> Consumers(Graph graph, string value) =>
        graph.Consumers(value).SelectMany(c => Quantizer.IsLayout(c) ? Consumers(graph, c.Outputs[0]) : [c]);

    /// <summary>10^(−SQNR/10); no noise for +∞ (no weights) and NaN (a zero signal without noise).</summary>
    private static double Nsr(double sqnrDb) =>
        double.IsNaN(sqnrDb) || double.IsPositiveInfinity(sqnrDb) ? 0 : Math.Pow(10, -Math.Max(sqnrDb, -SensitivityRanking.SqnrCapDb) / 10);
}
