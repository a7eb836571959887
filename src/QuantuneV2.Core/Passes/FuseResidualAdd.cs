using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// Conv + Add(conv, z) with z of the output's shape becomes FusedConv(x, w, b, z): the residual add of
/// ResNet blocks happens in the convolution's epilogue instead of a separate pass.
/// </summary>
public sealed class FuseResidualAdd : IGraphPass
{
    public string Name => "fuse-residual-add";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        var fused = new HashSet<Node>();
        foreach (var add in graph.Nodes)
        {
            if (add.OpType != "Add" || add.Domain.Length > 0) continue;
            var outShape = graph.TypeOf(add.Outputs[0]).Shape;
            // Prefer the later convolution (the block's main branch) when both operands are convolutions.
            var candidates = Enumerable.Range(0, 2)
                .Select(k => (Conv: graph.Producer(add.Inputs[k]), Other: add.Inputs[1 - k], Operand: add.Inputs[k]))
                .Where(c => c.Conv is { } p && FusedConv.IsOpenConvolution(p, allowResidual: false) && !fused.Contains(p) && rw.HasSingleUse(c.Operand)
                            && graph.TypeOf(c.Other).Shape is { } zs && zs.Equals(outShape) && graph.TypeOf(c.Operand).Shape!.Equals(outShape))
                .OrderByDescending(c => graph.Nodes.IndexOf(c.Conv!))
                .ToList();
            if (candidates.Count == 0) continue;
            var (conv, other, _) = candidates[0];
            var inputs = new[] { conv!.Inputs[0], conv.Inputs[1], conv.InputAt(2), other };
            rw.Replace(conv, new Node(conv.Name, "FusedConv", inputs, [add.Outputs[0]], conv.Attributes, OpRegistry.QuantuneDomain));
            rw.Remove(add);
            fused.Add(conv);
            log.Record(Name, $"fused {add} into {conv}");
        }
        return rw.Build();
    }
}
