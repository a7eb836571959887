using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// Conv (or FusedConv without an activation) or Gemm followed by Relu, Clip with constant bounds (ReLU6),
/// LeakyRelu or HardSwish becomes one FusedConv or FusedGemm that applies the activation in its epilogue.
/// </summary>
public sealed class FuseActivation : IGraphPass
{
    public string Name => "fuse-activation";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        foreach (var act in graph.Nodes)
        {
            if (act.Domain.Length > 0 || Epilogue(graph, act) is not { } activation) continue;
            var producer = graph.Producer(act.Inputs[0]);
            if (producer is null || !rw.HasSingleUse(act.Inputs[0])) continue;
            string fused;
            if (FusedConv.IsOpenConvolution(producer, allowResidual: true)) fused = "FusedConv";
            else if (producer.OpType == "Gemm" && producer.Domain.Length == 0) fused = "FusedGemm";
            else continue;
            var attributes = producer.Attributes.Concat(FusedActivation.Attributes(activation));
            rw.Replace(producer, new Node(producer.Name, fused, producer.Inputs, [act.Outputs[0]], attributes, OpRegistry.QuantuneDomain));
            rw.Remove(act);
            log.Record(Name, $"fused {act} into {producer}");
        }
        return rw.Build();
    }

    /// <summary>The epilogue form of an activation node, or null when it has none (e.g. Clip with runtime bounds).</summary>
    private static Activation? Epilogue(Graph graph, Node n)
    {
        switch (n.OpType)
        {
            case "Relu":
                return Activation.Relu;
            case "LeakyRelu":
                return Activation.LeakyRelu(n.FindAttribute("alpha")?.F ?? 0.01f);
            case "HardSwish":
                return Activation.HardSwish;
            case "Clip":
            {
                float lo, hi;
                if (graph.Opset < 11)
                {
                    lo = n.FindAttribute("min")?.F ?? float.NegativeInfinity;
                    hi = n.FindAttribute("max")?.F ?? float.PositiveInfinity;
                }
                else
                {
                    if (!TryScalar(graph, n.InputAt(1), float.NegativeInfinity, out lo) || !TryScalar(graph, n.InputAt(2), float.PositiveInfinity, out hi)) return null;
                }
                return lo <= hi ? Activation.Clip(lo, hi) : null;
            }
            default:
                return null;
        }
    }

    private static bool TryScalar(Graph graph, string value, float absent, out float result)
    {
        result = absent;
        if (value.Length == 0) return true;
        if (!graph.Constants.TryGetValue(value, out var t) || t.DataType != DataType.Float || t.Length != 1) return false;
        result = t.Floats[0];
        return true;
    }
}
