namespace QuantuneV2.Core.IR;

/// <summary>
/// Values added while building a new graph from <paramref name="graph"/> (a pass, the quantizer, the QDQ
/// export): fresh names that never collide with the graph's values or each other ("name", "name_1", …),
/// and the initializers, starting with the graph's own.
/// </summary>
internal sealed class GraphAdditions(Graph graph)
{
    private readonly HashSet<string> _names = new(graph.Types.Keys, StringComparer.Ordinal);

    public List<KeyValuePair<string, Tensor>> Initializers { get; } = [.. graph.InitializerList];

    public string Unique(string name)
    {
        var candidate = name;
        for (int k = 1; !_names.Add(candidate); k++) candidate = $"{name}_{k}";
        return candidate;
    }

    /// <summary>Adds an initializer under a unique form of <paramref name="name"/> and returns that name.</summary>
    public string Constant(string name, Tensor value)
    {
        var unique = Unique(name);
        Initializers.Add(KeyValuePair.Create(unique, value));
        return unique;
    }
}
