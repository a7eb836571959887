using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// Carries cotangents backwards through a graph at one forward point: the transposed Jacobian of every node
/// whose op has a backward (<see cref="Op.CreateBackward"/>), in reverse graph order. A node without one
/// stops the propagation at its output. The graph must have concrete shapes (e.g. <see cref="Graph.WithBatch"/>).
/// One instance per thread: kernels and gradient buffers are reused from run to run.
/// </summary>
public sealed class Backpropagation
{
    private readonly Graph _graph;
    private readonly (Node Node, BackwardKernel Kernel)[] _reversed;
    private readonly Dictionary<string, float[]> _gradients = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly HashSet<Node> _through;

    public Backpropagation(Graph graph)
    {
        _graph = graph;
        var nodes = new List<(Node, BackwardKernel)>();
        foreach (var node in graph.Nodes)
        {
            if (node.Outputs.Length == 0 || graph.TypeOf(node.Outputs[0]).DataType != DataType.Float) continue;
            if (KernelFactory.CreateBackward(OpRegistry.Get(node), node, graph.Opset, graph.Types, graph.Constants) is not { } kernel) continue;
            nodes.Add((node, kernel));
            foreach (var v in node.Inputs.Append(node.Outputs[0]))
                if (v.Length > 0 && !graph.Constants.ContainsKey(v) && graph.TypeOf(v).DataType == DataType.Float && !_gradients.ContainsKey(v))
                    _gradients[v] = new float[graph.TypeOf(v).Shape!.ElementCount()];
        }
        nodes.Reverse();
        _reversed = [.. nodes];
        _through = [.. nodes.Select(n => n.Item1)];
        ForwardValues = [.. nodes.SelectMany(n => n.Item1.Inputs.Append(n.Item1.Outputs[0])).Where(v => v.Length > 0 && !graph.Constants.ContainsKey(v)).Distinct()];
    }

    /// <summary>The values whose forward tensors <see cref="Run"/> reads: inputs and outputs of the nodes it goes through.</summary>
    public IReadOnlyList<string> ForwardValues { get; }

    /// <summary>Whether <paramref name="value"/> takes part in the propagation (can receive or pass on a cotangent).</summary>
    public bool Covers(string value) => _gradients.ContainsKey(value);

    /// <summary>Whether <paramref name="node"/>'s op has a backward, i.e. the propagation goes through it.</summary>
    public bool GoesThrough(Node node) => _through.Contains(node);

    /// <param name="forward">The forward tensor of each of <see cref="ForwardValues"/> at this point.</param>
    /// <param name="seeds">Cotangents where the propagation starts (values not covered are ignored).</param>
    /// <returns>The cotangent of every covered value; the buffers are reused by the next run.</returns>
    public IReadOnlyDictionary<string, float[]> Run(Func<string, Tensor> forward, IReadOnlyDictionary<string, float[]> seeds)
    {
        foreach (var g in _gradients.Values) Array.Clear(g);
        _touched.Clear();
        foreach (var (name, seed) in seeds)
            if (_gradients.TryGetValue(name, out var g))
            {
                seed.AsSpan().CopyTo(g);
                _touched.Add(name);
            }
        foreach (var (node, kernel) in _reversed)
        {
            if (!_touched.Contains(node.Outputs[0])) continue;
            var inputs = node.Inputs.Select(i => i.Length == 0 ? null : _graph.Constants.TryGetValue(i, out var c) ? c : forward(i)).ToArray();
            var gradients = node.Inputs.Select(i => i.Length > 0 ? _gradients.GetValueOrDefault(i) : null).ToArray();
            kernel.Run(inputs, forward(node.Outputs[0]), _gradients[node.Outputs[0]], gradients);
            foreach (var i in node.Inputs)
                if (_gradients.ContainsKey(i)) _touched.Add(i);
        }
        return _gradients;
    }
}
