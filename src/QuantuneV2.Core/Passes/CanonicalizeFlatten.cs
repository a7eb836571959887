using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// A Reshape that keeps dim 0 and collapses the rest (x.view(N, -1) in PyTorch) becomes Flatten(axis=1),
/// so later passes and kernels see one form of "flatten".
/// </summary>
public sealed class CanonicalizeFlatten : IGraphPass
{
    public string Name => "canonicalize-flatten";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        foreach (var n in graph.Nodes)
        {
            if (n.OpType != "Reshape" || n.Domain.Length > 0) continue;
            if (graph.TypeOf(n.Inputs[0]).Shape is not { Rank: >= 2 } x || graph.TypeOf(n.Outputs[0]).Shape is not { Rank: 2 } y) continue;
            var rest = x.Dims.Skip(1);
            bool keepsBatch = x[0] == y[0] && (x[0].IsKnown || x[0].Param is not null);
            bool collapses = rest.All(d => d.IsKnown) && y[1].IsKnown && rest.Aggregate(1L, (p, d) => p * d.Value) == y[1].Value;
            if (!keepsBatch || !collapses) continue;
            rw.Replace(n, new Node(n.Name, "Flatten", [n.Inputs[0]], [n.Outputs[0]], [IR.Attribute.Int("axis", 1)]));
            log.Record(Name, $"{n} became Flatten(axis=1)");
        }
        return rw.Build();
    }
}
