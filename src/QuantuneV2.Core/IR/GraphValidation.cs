using System.Collections.Immutable;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.IR;

/// <summary>Structural checks (ops, opset, names, cycles, outputs) and the topological order.</summary>
internal static class GraphValidation
{
    /// <summary>Oldest model opset we read; each op also names the oldest opset whose semantics it implements.</summary>
    public const long MinOpset = 1;
    public const long MaxOpset = 21;

    public static ImmutableArray<Node> Validate(ModelInfo model, ImmutableArray<ValueInfo> inputs, ImmutableArray<ValueInfo> outputs,
        ImmutableArray<Node> nodes, HashSet<string> initializers)
    {
        var opset = model.Opset;
        if (opset < MinOpset || opset > MaxOpset)
            throw new QuantuneException(DiagnosticCode.UnsupportedOpset,
                opset == 0 ? "the model imports no ai.onnx opset" : $"ai.onnx opset {opset} is not supported (supported: {MinOpset} to {MaxOpset})");

        foreach (var n in nodes)
        {
            if (!OpRegistry.TryGet(n.Domain, n.OpType, out var op))
                throw new QuantuneException(DiagnosticCode.UnsupportedOp,
                    $"operator {(n.Domain is "" or "ai.onnx" ? "" : n.Domain + ".")}{n.OpType} is not supported; supported ops: {string.Join(", ", OpRegistry.SupportedOpTypes)}",
                    nodeName: n.DisplayName, opType: n.OpType);
            if (opset < op.MinOpset)
                throw new QuantuneException(DiagnosticCode.UnsupportedOpset, $"{n.OpType} is supported from opset {op.MinOpset}; the model uses opset {opset}", nodeName: n.DisplayName, opType: n.OpType);
        }

        // Every value has exactly one definition: a runtime input, an initializer or one node output.
        var defined = new HashSet<string>(initializers);
        foreach (var i in inputs)
            if (!defined.Add(i.Name)) throw new QuantuneException(DiagnosticCode.DuplicateValue, $"graph input '{i.Name}' is defined twice");
        var producerIndex = new Dictionary<string, int>();
        for (int k = 0; k < nodes.Length; k++)
        {
            foreach (var o in nodes[k].Outputs)
            {
                if (o.Length == 0) continue;
                if (!defined.Add(o))
                    throw new QuantuneException(DiagnosticCode.DuplicateValue, $"value '{o}' is defined more than once", nodeName: nodes[k].DisplayName, opType: nodes[k].OpType);
                producerIndex[o] = k;
            }
        }
        foreach (var n in nodes)
            foreach (var i in n.Inputs)
                if (i.Length > 0 && !defined.Contains(i))
                    throw new QuantuneException(DiagnosticCode.MissingValue, $"input '{i}' is neither a graph input, an initializer nor a node output", nodeName: n.DisplayName, opType: n.OpType);
        foreach (var o in outputs)
            if (!defined.Contains(o.Name))
                throw new QuantuneException(DiagnosticCode.DanglingOutput, $"graph output '{o.Name}' is not produced by any node, input or initializer");

        return TopologicalOrder(nodes, producerIndex);
    }

    /// <summary>Kahn's algorithm that keeps the file's order among ready nodes, so valid files keep their order.</summary>
    private static ImmutableArray<Node> TopologicalOrder(ImmutableArray<Node> nodes, Dictionary<string, int> producerIndex)
    {
        var pending = new int[nodes.Length];
        var dependents = new List<int>[nodes.Length];
        for (int k = 0; k < nodes.Length; k++) dependents[k] = [];
        for (int k = 0; k < nodes.Length; k++)
        {
            foreach (var i in nodes[k].Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!producerIndex.TryGetValue(i, out var p)) continue;
                pending[k]++;
                dependents[p].Add(k);
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (int k = 0; k < nodes.Length; k++) if (pending[k] == 0) ready.Enqueue(k, k);
        var order = ImmutableArray.CreateBuilder<Node>(nodes.Length);
        while (ready.TryDequeue(out var k, out _))
        {
            order.Add(nodes[k]);
            foreach (var d in dependents[k]) if (--pending[d] == 0) ready.Enqueue(d, d);
        }
        if (order.Count != nodes.Length)
        {
            var stuck = nodes[Array.FindIndex(pending, p => p > 0)];
            throw new QuantuneException(DiagnosticCode.Cycle, "the graph has a cycle through this node", nodeName: stuck.DisplayName, opType: stuck.OpType);
        }
        return order.MoveToImmutable();
    }

    /// <summary>Graph outputs with inferred types, checked against what the file declared.</summary>
    public static ImmutableArray<ValueInfo> ResolveOutputs(IEnumerable<ValueInfo> declared, IReadOnlyDictionary<string, TensorType> types) =>
        declared.Select(d => new ValueInfo(d.Name, Reconcile(d, types[d.Name], "graph output", null))).ToImmutableArray();

    /// <summary>Intermediate types the file declares (value_info) must agree with what the ops compute.</summary>
    public static void CheckDeclared(IEnumerable<ValueInfo> declared, IReadOnlyDictionary<string, TensorType> types, Func<string, Node?> producer)
    {
        foreach (var d in declared)
            if (types.TryGetValue(d.Name, out var inferred)) Reconcile(d, inferred, "value", producer(d.Name));
    }

    /// <summary>The inferred type, with dims only the declaration knows filled in; a conflict is QV0013.</summary>
    private static TensorType Reconcile(ValueInfo declared, TensorType inferred, string what, Node? producer)
    {
        QuantuneException Conflict(string declaredText, string computed) =>
            new(DiagnosticCode.ShapeMismatch, $"{what} '{declared.Name}' is declared {declaredText} but computes {computed}", nodeName: producer?.DisplayName, opType: producer?.OpType);
        if (declared.Type.DataType != DataType.Undefined && declared.Type.DataType != inferred.DataType)
            throw Conflict(declared.Type.DataType.ToString(), inferred.DataType.ToString());
        var shape = inferred.Shape;
        if (declared.Type.Shape is not { } ds || shape is null) return new TensorType(inferred.DataType, shape ?? declared.Type.Shape);
        if (ds.Rank != shape.Rank) throw Conflict(ds.ToString(), shape.ToString());
        var dims = ImmutableArray.CreateBuilder<Dim>(shape.Rank);
        for (int k = 0; k < shape.Rank; k++)
        {
            if (ds[k].IsKnown && shape[k].IsKnown && ds[k].Value != shape[k].Value) throw Conflict(ds.ToString(), shape.ToString());
            dims.Add(shape[k].IsKnown || !ds[k].IsKnown ? shape[k] : ds[k]);
        }
        return new TensorType(inferred.DataType, new Shape(dims.MoveToImmutable()));
    }
}
