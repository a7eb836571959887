using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Passes;

/// <summary>
/// A mutable working copy of a graph for one pass: replace or remove nodes, redirect uses of a value,
/// add initializers under unique names, then <see cref="Build"/> a validated graph (unused initializers dropped).
/// Graph inputs and outputs keep their names: passes never rewrite a graph output away.
/// </summary>
internal sealed class GraphRewriter(Graph graph)
{
    private readonly Dictionary<string, string> _redirect = new(StringComparer.Ordinal);
    private readonly GraphAdditions _added = new(graph);

    public Graph Graph { get; } = graph;
    public List<Node> Nodes { get; } = graph.Nodes.ToList();

    public bool IsGraphOutput(string value) => Graph.Outputs.Any(o => o.Name == value);

    /// <summary>Whether <paramref name="value"/> is read by exactly one node and is not a graph output.</summary>
    public bool HasSingleUse(string value) => !IsGraphOutput(value) && Graph.Consumers(value).Count == 1 && Graph.Consumers(value)[0].Inputs.Count(i => i == value) == 1;

    /// <summary>Every later use of <paramref name="value"/> reads <paramref name="replacement"/> instead.</summary>
    public void Redirect(string value, string replacement) => _redirect[value] = replacement;

    public string AddInitializer(string preferredName, Tensor value) => _added.Constant(preferredName, value);

    public void Replace(Node old, params Node[] replacements)
    {
        int at = Nodes.IndexOf(old);
        Nodes.RemoveAt(at);
        Nodes.InsertRange(at, replacements);
    }

    public void Remove(Node node) => Nodes.Remove(node);

    public Graph Build()
    {
        string Resolve(string v)
        {
            while (v.Length > 0 && _redirect.TryGetValue(v, out var r)) v = r;
            return v;
        }
        var nodes = Nodes.Select(n => n.With(inputs: n.Inputs.Select(Resolve))).ToList();
        var used = new HashSet<string>(nodes.SelectMany(n => n.Inputs).Concat(Graph.Outputs.Select(o => o.Name)), StringComparer.Ordinal);
        return Graph.Create(Graph.Name, Graph.Model, Graph.Inputs, Graph.Outputs, nodes, _added.Initializers.Where(kv => used.Contains(kv.Key)));
    }
}
