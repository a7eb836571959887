using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>Removes nodes no graph output depends on (and, through the rewriter, initializers nothing reads).</summary>
public sealed class EliminateDeadNodes : IGraphPass
{
    public string Name => "eliminate-dead-nodes";

    public Graph Run(Graph graph, PassLog log)
    {
        var live = new HashSet<string>(graph.Outputs.Select(o => o.Name), StringComparer.Ordinal);
        var keep = new HashSet<Node>();
        foreach (var n in graph.Nodes.Reverse())
        {
            if (!n.Outputs.Any(live.Contains)) continue;
            keep.Add(n);
            foreach (var i in n.Inputs) live.Add(i);
        }
        var rw = new GraphRewriter(graph);
        foreach (var n in graph.Nodes.Where(n => !keep.Contains(n)))
        {
            rw.Remove(n);
            log.Record(Name, $"removed {n}: no output depends on it");
        }
        return rw.Build();
    }
}
