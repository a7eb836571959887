using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The fused graph plus, for every layer with weights, a twin that reads the same fp32 inputs with the
/// layer's dequantized int8 weights: one fp32 inference then gives each layer's output with and without
/// its weight rounding — the noise its int8 weights alone add, fused activation and residual included.
/// </summary>
public sealed record WeightTwins(Graph Graph, IReadOnlyDictionary<string, string> TwinOutputOf)
{
    /// <param name="layers">Layer (node display) names; those without weights get no twin.</param>
    public static WeightTwins Build(Graph fused, IEnumerable<string> layers, PlanOptions options)
    {
        var wanted = layers.ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(fused.Types.Keys, StringComparer.Ordinal);
        string Fresh(string name)
        {
            var candidate = name;
            for (int k = 1; !taken.Add(candidate); k++) candidate = $"{name}_{k}";
            return candidate;
        }
        var twins = new List<Node>();
        var weights = new List<KeyValuePair<string, Tensor>>();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in fused.Nodes.Where(n => wanted.Contains(n.DisplayName)))
        {
            if (Quantizer.Weights(fused, node) is not { } w) continue;
            var dequantized = Tensor.FromFloats(WeightQuantizer.Quantize(w, options.PerChannel, options.ReduceRange).Dequantize(), w.Dims);
            var name = Fresh($"{node.Inputs[1]}#int8");
            weights.Add(KeyValuePair.Create(name, Quantizer.InNodeLayout(fused, node, dequantized)));
            var twin = node.With(name: Fresh($"{node.DisplayName}#int8-weights"), inputs: node.Inputs.SetItem(1, name), outputs: [Fresh($"{node.Outputs[0]}#int8-weights")]);
            twins.Add(twin);
            outputs[node.DisplayName] = twin.Outputs[0];
        }
        var graph = Graph.Create(fused.Name, fused.Model, fused.Inputs, fused.Outputs, fused.Nodes.Concat(twins), fused.InitializerList.Concat(weights));
        return new WeightTwins(graph, outputs);
    }
}
