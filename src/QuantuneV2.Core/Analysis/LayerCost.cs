using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Analysis;

/// <summary>Parameters and multiply-accumulates of one node, for `inspect`, reports and MAC-based plans.</summary>
public readonly record struct LayerCost(long Parameters, long Macs)
{
    /// <summary>
    /// Parameters are the elements of constant float inputs (weights, biases, BN scale/shift), without
    /// BN running mean/variance, which are statistics, not parameters (as published counts do it);
    /// MACs count the multiply-accumulates of Conv, Gemm and MatMul (0 for everything else, as usual).
    /// Symbolic batch dims count as 1.
    /// </summary>
    public static LayerCost Of(Graph graph, Node node)
    {
        long parameters = 0;
        var inputs = node.OpType == "BatchNormalization" ? node.Inputs.Take(3) : node.Inputs;
        foreach (var i in inputs.Where(i => i.Length > 0).Distinct())
            if (graph.Initializers.TryGetValue(i, out var t) && t.DataType == DataType.Float) parameters += t.Length;
        return new LayerCost(parameters, CountMacs(graph, node));
    }

    private static long CountMacs(Graph graph, Node node)
    {
        long Elements(string value) => graph.TypeOf(value).Shape is { } s ? s.Dims.Aggregate(1L, (p, d) => p * (d.IsKnown ? d.Value : 1)) : 0;
        Dim[] DimsOf(string value) => graph.TypeOf(value).Shape?.Dims.ToArray() ?? [];
        switch (node.OpType)
        {
            case "Conv":
            {
                var w = DimsOf(node.Inputs[1]);
                long perOutput = w.Skip(1).Aggregate(1L, (p, d) => p * (d.IsKnown ? d.Value : 1));
                return Elements(node.Outputs[0]) * perOutput;
            }
            case "Gemm":
            {
                var a = DimsOf(node.Inputs[0]);
                bool transA = node.FindAttribute("transA")?.I is 1;
                long k = a.Length == 2 ? (transA ? a[0] : a[1]).Value : 0;
                return Elements(node.Outputs[0]) * Math.Max(k, 0);
            }
            case "MatMul":
            {
                var a = DimsOf(node.Inputs[0]);
                return a.Length == 0 ? 0 : Elements(node.Outputs[0]) * Math.Max(a[^1].Value, 0);
            }
            default:
                return 0;
        }
    }
}
