using System.Collections.Immutable;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.IR;

/// <summary>
/// Infers every value's type in topological order and folds nodes whose inputs are all known at
/// load time (shape computations such as Shape→Gather→Concat→Reshape), so later ops see constants.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Folding stops at outputs larger than this: big constant subgraphs stay runtime work.</summary>
    private const long MaxFoldElements = 1 << 22;

    public static (Dictionary<string, TensorType> Types, Dictionary<string, Tensor> Constants) Run(
        long opset, ImmutableArray<ValueInfo> inputs, ImmutableArray<Node> nodes, ImmutableArray<KeyValuePair<string, Tensor>> initializers)
    {
        var types = new Dictionary<string, TensorType>();
        var constants = new Dictionary<string, Tensor>();
        foreach (var i in inputs)
        {
            if (!DataTypes.IsSupported(i.Type.DataType))
                throw new QuantuneException(DiagnosticCode.UnsupportedDataType, $"graph input '{i.Name}' has unsupported type {i.Type.DataType}");
            types[i.Name] = i.Type;
        }
        foreach (var kv in initializers)
        {
            types[kv.Key] = kv.Value.Type;
            constants[kv.Key] = kv.Value;
        }

        foreach (var node in nodes)
        {
            var op = OpRegistry.Get(node);
            var ctx = new InferenceContext(node, opset, v => types.GetValueOrDefault(v), v => constants.GetValueOrDefault(v));
            try
            {
                op.Infer(ctx);
            }
            catch (Exception e) when (e is OverflowException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
            {
                // Absurd dims or attributes that slip past an op's own checks still end as a QV error.
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"cannot infer output shapes: {e.Message}");
            }
            for (int k = 0; k < node.Outputs.Length; k++)
            {
                var name = node.Outputs[k];
                if (name.Length == 0) continue;
                var t = ctx.OutputTypes[k] ?? throw ctx.Fail(DiagnosticCode.InvalidInput, $"output {k} '{name}' is not produced by this operator");
                if (t.Shape is { } s)
                {
                    foreach (var d in s.Dims)
                        if (d.IsKnown && d.Value > Shape.MaxElements) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"output '{name}' has dim {d.Value}, too large");
                    if (s.IsStatic && s.ElementCount() > Shape.MaxElements) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"output '{name}' {s} has too many elements");
                }
                types[name] = t;
                if (ctx.OutputConstants[k] is { } c) constants[name] = c;
            }
            TryFold(op, node, opset, types, constants);
        }
        return (types, constants);
    }

    private static void TryFold(Op op, Node node, long opset, Dictionary<string, TensorType> types, Dictionary<string, Tensor> constants)
    {
        if (!op.CanFold) return;
        var outs = node.Outputs.Where(o => o.Length > 0).ToArray();
        if (outs.Length == 0 || outs.All(constants.ContainsKey)) return;
        if (node.Inputs.Any(i => i.Length > 0 && !constants.ContainsKey(i))) return;
        long total = 0;
        foreach (var o in outs)
        {
            if (types[o].Shape is not { IsStatic: true } s) return;
            total += s.ElementCount();
        }
        if (total > MaxFoldElements) return;

        var kernel = KernelFactory.Create(op, node, opset, types, constants);
        var inputs = node.Inputs.Select(i => i.Length > 0 ? constants[i] : null).ToArray();
        var outputs = node.Outputs.Select(o => o.Length > 0 ? Tensor.Zeros(types[o].DataType, types[o].Shape!.ToInts()) : Tensor.Zeros(DataType.Float, 0)).ToArray();
        kernel.Run(inputs, outputs);
        for (int k = 0; k < node.Outputs.Length; k++)
            if (node.Outputs[k].Length > 0) constants[node.Outputs[k]] = outputs[k];
    }
}
