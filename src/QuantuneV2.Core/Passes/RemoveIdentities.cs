using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>Identity and inference-mode Dropout nodes disappear: their readers read the input directly.</summary>
public sealed class RemoveIdentities : IGraphPass
{
    public string Name => "remove-identities";

    public Graph Run(Graph graph, PassLog log)
    {
        var rw = new GraphRewriter(graph);
        foreach (var n in graph.Nodes)
        {
            if (n.OpType is not ("Identity" or "Dropout") || n.Domain.Length > 0) continue;
            // A graph output keeps its producer; so does a Dropout whose mask is read.
            if (rw.IsGraphOutput(n.Outputs[0]) || n.Outputs.Skip(1).Any(o => o.Length > 0 && (graph.Consumers(o).Count > 0 || rw.IsGraphOutput(o)))) continue;
            rw.Redirect(n.Outputs[0], n.Inputs[0]);
            rw.Remove(n);
            log.Record(Name, $"removed {n}");
        }
        return rw.Build();
    }
}
