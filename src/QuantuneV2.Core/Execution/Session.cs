using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// The fp32 reference executor for one static graph, owned by one thread at a time. Buffers are
/// planned once at creation (values whose lifetimes do not overlap share an array), so a run
/// allocates nothing. Create one session per worker thread for parallel batches.
/// </summary>
public sealed class Session
{
    private readonly Graph _graph;
    private readonly Step[] _steps;
    private readonly Tensor[] _inputSlots;
    private readonly Tensor[] _outputs;
    private readonly HashSet<string>? _observed;
    private readonly bool _observeAll;

    private sealed record Step(Node Node, Kernel Kernel, Tensor?[] Inputs, Tensor[] Outputs);

    /// <param name="graph">A graph whose input shapes are all static (see <see cref="Graph.WithBatch"/>).</param>
    /// <param name="observe">Values whose contents <see cref="Run"/> reports to its observer; null: none; contains "*": all.</param>
    public Session(Graph graph, IEnumerable<string>? observe = null)
    {
        foreach (var i in graph.Inputs)
            if (i.Type.Shape is not { IsStatic: true })
                throw new QuantuneException(DiagnosticCode.InvalidInput, $"input '{i.Name}' has shape {i.Type.Shape?.ToString() ?? "?"}; the executor needs static shapes (set the batch size)");
        _graph = graph;
        _observed = observe?.ToHashSet();
        _observeAll = _observed?.Contains("*") == true;

        var runtimeNodes = graph.Nodes.Where(n => n.Outputs.Any(o => o.Length > 0 && !graph.Constants.ContainsKey(o))).ToList();
        foreach (var n in runtimeNodes)
            foreach (var o in n.Outputs)
                if (o.Length > 0 && graph.TypeOf(o).Shape is not { IsStatic: true })
                    throw new QuantuneException(DiagnosticCode.ShapeMismatch, $"output '{o}' has shape {graph.TypeOf(o).Shape?.ToString() ?? "?"} that is only known at run time; the executor needs static shapes (make shape inputs constants)", nodeName: n.DisplayName, opType: n.OpType);
        var tensors = BufferPlanner.Plan(graph, runtimeNodes, keepAlive: _observeAll ? [] : _observed ?? []);
        _inputSlots = graph.Inputs.Select(i => tensors[i.Name]).ToArray();
        _outputs = graph.Outputs.Select(o => graph.Constants.TryGetValue(o.Name, out var c) ? c : tensors[o.Name]).ToArray();
        _steps = runtimeNodes.Select(n => new Step(n,
            KernelFactory.Create(OpRegistry.Get(n), n, graph.Opset, graph.Types, graph.Constants),
            n.Inputs.Select(i => i.Length == 0 ? null : graph.Constants.TryGetValue(i, out var c) ? c : tensors[i]).ToArray(),
            n.Outputs.Select(o => o.Length == 0 ? Tensor.Zeros(DataType.Float, 0) : tensors.TryGetValue(o, out var t) ? t : Tensor.Zeros(DataType.Float, 0)).ToArray())).ToArray();
    }

    public Graph Graph => _graph;

    /// <summary>
    /// Runs the graph. Returned tensors are owned by the session and valid until the next run.
    /// <paramref name="observer"/> sees each observed value right after it is computed; copy what you keep.
    /// </summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, Action<string, Tensor>? observer = null)
    {
        if (inputs.Count != _inputSlots.Length)
            throw new QuantuneException(DiagnosticCode.InvalidInput, $"the model has {_inputSlots.Length} inputs, {inputs.Count} given");
        for (int i = 0; i < inputs.Count; i++)
        {
            var slot = _inputSlots[i];
            if (inputs[i].DataType != slot.DataType || !inputs[i].Dims.AsSpan().SequenceEqual(slot.Dims))
                throw new QuantuneException(DiagnosticCode.InvalidInput, $"input '{_graph.Inputs[i].Name}' must be {slot}, got {inputs[i]}");
            Array.Copy(inputs[i].Data, slot.Data, slot.Length);
            if (observer is not null && Observed(_graph.Inputs[i].Name)) observer(_graph.Inputs[i].Name, slot);
        }
        foreach (var step in _steps)
        {
            step.Kernel.Run(step.Inputs, step.Outputs);
            if (observer is null) continue;
            for (int k = 0; k < step.Node.Outputs.Length; k++)
                if (step.Node.Outputs[k] is { Length: > 0 } name && Observed(name)) observer(name, step.Outputs[k]);
        }
        return _outputs;
    }

    /// <summary>Convenience for a single-input model.</summary>
    public Tensor Run(Tensor input) => Run([input])[0];

    private bool Observed(string name) => _observeAll || _observed?.Contains(name) == true;
}
