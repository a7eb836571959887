using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// Nodes whose outputs are known at load time (Constant nodes, Shape→Gather→Concat chains on static
/// shapes, ...) become initializers; shape inference already computed their values.
/// </summary>
public sealed class FoldConstants : IGraphPass
{
    public string Name => "fold-constants";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        foreach (var n in graph.Nodes)
        {
            var outputs = n.Outputs.Where(o => o.Length > 0).ToList();
            if (outputs.Count == 0 || !outputs.All(graph.Constants.ContainsKey) || outputs.Any(rw.IsGraphOutput)) continue;
            foreach (var o in outputs) rw.Redirect(o, rw.AddInitializer(o + "_folded", graph.Constants[o]));
            rw.Remove(n);
            log.Record(Name, $"folded {n} into a constant");
        }
        return rw.Build();
    }
}
