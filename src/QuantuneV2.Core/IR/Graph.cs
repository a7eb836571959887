using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Core.IR;

/// <summary>
/// A validated, topologically ordered, shape-inferred graph. Immutable: passes build new graphs
/// with <see cref="Create"/>, which re-validates and re-infers.
/// </summary>
public sealed class Graph
{
    private readonly Dictionary<string, Node> _producers;
    private readonly Dictionary<string, List<Node>> _consumers;

    private Graph(string name, ModelInfo model, ImmutableArray<ValueInfo> inputs, ImmutableArray<ValueInfo> outputs,
        ImmutableArray<Node> nodes, ImmutableArray<KeyValuePair<string, Tensor>> initializers,
        Dictionary<string, TensorType> types, Dictionary<string, Tensor> constants)
    {
        Name = name;
        Model = model;
        Inputs = inputs;
        Outputs = outputs;
        Nodes = nodes;
        InitializerList = initializers;
        Initializers = initializers.ToDictionary(kv => kv.Key, kv => kv.Value);
        Types = types;
        Constants = constants;
        _producers = new Dictionary<string, Node>();
        _consumers = new Dictionary<string, List<Node>>();
        foreach (var n in nodes)
        {
            foreach (var o in n.Outputs) if (o.Length > 0) _producers[o] = n;
            foreach (var i in n.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!_consumers.TryGetValue(i, out var list)) _consumers[i] = list = [];
                list.Add(n);
            }
        }
    }

    public string Name { get; }
    public ModelInfo Model { get; }
    public long Opset => Model.Opset;
    /// <summary>Runtime inputs (initializers excluded).</summary>
    public ImmutableArray<ValueInfo> Inputs { get; }
    public ImmutableArray<ValueInfo> Outputs { get; }
    /// <summary>Nodes in a deterministic topological order.</summary>
    public ImmutableArray<Node> Nodes { get; }
    public ImmutableArray<KeyValuePair<string, Tensor>> InitializerList { get; }
    public IReadOnlyDictionary<string, Tensor> Initializers { get; }
    /// <summary>The inferred type of every value (inputs, initializers, node outputs).</summary>
    public IReadOnlyDictionary<string, TensorType> Types { get; }
    /// <summary>Values known at load time: initializers and everything folded from them.</summary>
    public IReadOnlyDictionary<string, Tensor> Constants { get; }

    public Node? Producer(string value) => _producers.GetValueOrDefault(value);
    public IReadOnlyList<Node> Consumers(string value) => _consumers.TryGetValue(value, out var l) ? l : [];
    public TensorType TypeOf(string value) => Types[value];

    /// <summary>Validates and shape-infers a graph. Errors are <see cref="QuantuneException"/> with QV codes.</summary>
    /// <param name="declaredTypes">Intermediate types the source declares (ONNX value_info); they must agree with inference.</param>
    public static Graph Create(string name, ModelInfo model, IEnumerable<ValueInfo> inputs, IEnumerable<ValueInfo> outputs,
        IEnumerable<Node> nodes, IEnumerable<KeyValuePair<string, Tensor>> initializers, IEnumerable<ValueInfo>? declaredTypes = null)
    {
        var inits = initializers.ToImmutableArray();
        var initNames = new HashSet<string>();
        foreach (var kv in inits)
            if (!initNames.Add(kv.Key)) throw new QuantuneException(DiagnosticCode.DuplicateValue, $"initializer '{kv.Key}' is defined twice");
        // An input that also has an initializer is a constant with a default (IR < 4 style): keep the constant.
        var realInputs = inputs.Where(i => !initNames.Contains(i.Name)).ToImmutableArray();
        var ordered = GraphValidation.Validate(model, realInputs, outputs.ToImmutableArray(), nodes.ToImmutableArray(), initNames);
        var (types, constants) = ShapeInference.Run(model.Opset, realInputs, ordered, inits);
        var outs = GraphValidation.ResolveOutputs(outputs, types);
        var graph = new Graph(name, model, realInputs, outs, ordered, inits, types, constants);
        if (declaredTypes is not null) GraphValidation.CheckDeclared(declaredTypes, types, graph.Producer);
        return graph;
    }

    /// <summary>The same graph with new runtime input shapes (e.g. a concrete batch size), re-inferred.</summary>
    public Graph WithInputShapes(IReadOnlyDictionary<string, Shape> shapes) =>
        Create(Name, Model,
            Inputs.Select(i => shapes.TryGetValue(i.Name, out var s) ? i with { Type = i.Type with { Shape = s } } : i),
            Outputs.Select(o => o with { Type = new TensorType(o.Type.DataType, null) }),
            Nodes, InitializerList);

    /// <summary>The same graph with some runtime inputs turned into constants (e.g. a shape fed as an input).</summary>
    public Graph WithConstantInputs(IReadOnlyDictionary<string, Tensor> values) =>
        Create(Name, Model, Inputs.Where(i => !values.ContainsKey(i.Name)), Outputs, Nodes,
            InitializerList.Concat(values.Where(kv => Inputs.Any(i => i.Name == kv.Key))));

    /// <summary>The same graph with every symbolic/unknown leading (batch) input dim set to <paramref name="batch"/>.</summary>
    public Graph WithBatch(int batch)
    {
        var shapes = new Dictionary<string, Shape>();
        foreach (var i in Inputs)
        {
            if (i.Type.Shape is not { Rank: > 0 } s) continue;
            var dims = s.Dims.Select((d, k) => k == 0 || !d.IsKnown ? Dim.Of(k == 0 ? batch : 1) : d).ToImmutableArray();
            shapes[i.Name] = new Shape(dims);
        }
        return WithInputShapes(shapes);
    }

    /// <summary>A stable textual form: same graph, same text (used in tests and `quantune inspect`).</summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"graph \"{Name}\" opset {Opset}\n");
        foreach (var i in Inputs) sb.Append(CultureInfo.InvariantCulture, $"input {i}\n");
        foreach (var kv in InitializerList) sb.Append(CultureInfo.InvariantCulture, $"init {kv.Key}: {kv.Value}\n");
        foreach (var n in Nodes)
        {
            var outs = string.Join(", ", n.Outputs.Select(o => o.Length == 0 ? "_" : $"{o}: {Types.GetValueOrDefault(o)}"));
            var attrs = n.Attributes.Length == 0 ? "" : " {" + string.Join(", ", n.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}={a}")) + "}";
            sb.Append(CultureInfo.InvariantCulture, $"node \"{n.Name}\" {n.OpType}({string.Join(", ", n.Inputs.Select(i => i.Length == 0 ? "_" : i))}) -> ({outs}){attrs}\n");
        }
        foreach (var o in Outputs) sb.Append(CultureInfo.InvariantCulture, $"output {o}\n");
        return sb.ToString();
    }
}
