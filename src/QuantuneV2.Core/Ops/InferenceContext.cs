using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>What an op sees during shape inference: its node, its input types and constants, and the opset.</summary>
public sealed class InferenceContext : NodeContext
{
    private readonly Func<string, TensorType?> _typeOf;
    private readonly Func<string, Tensor?> _constantOf;

    internal InferenceContext(Node node, long opset, Func<string, TensorType?> typeOf, Func<string, Tensor?> constantOf)
        : base(node, opset)
    {
        _typeOf = typeOf;
        _constantOf = constantOf;
        OutputTypes = new TensorType?[node.Outputs.Length];
        OutputConstants = new Tensor?[node.Outputs.Length];
    }

    internal TensorType?[] OutputTypes { get; }
    internal Tensor?[] OutputConstants { get; }

    /// <summary>The type of input <paramref name="i"/>; fails when the input is absent.</summary>
    public TensorType Input(int i) =>
        HasInput(i) ? _typeOf(Node.Inputs[i]) ?? throw Fail(DiagnosticCode.MissingValue, $"input {i} '{Node.Inputs[i]}' has no known type")
                    : throw Fail(DiagnosticCode.InvalidInput, $"input {i} is required");

    /// <summary>The shape of input <paramref name="i"/>; fails when its rank is unknown.</summary>
    public Shape InputShape(int i) => Input(i).Shape ?? throw Fail(DiagnosticCode.ShapeMismatch, $"input {i} '{Node.Inputs[i]}' has unknown rank");

    public Tensor? Constant(int i) => HasInput(i) ? _constantOf(Node.Inputs[i]) : null;

    /// <summary>The constant input <paramref name="i"/>; fails when it is not known at load time.</summary>
    public Tensor RequireConstant(int i, string what) =>
        Constant(i) ?? throw Fail(DiagnosticCode.InvalidInput, $"input {i} ({what}) must be a constant (initializer or computable at load time)");

    public void RequireType(int i, params DataType[] allowed)
    {
        var t = Input(i).DataType;
        if (Array.IndexOf(allowed, t) < 0)
            throw Fail(DiagnosticCode.UnsupportedDataType, $"input {i} '{Node.Inputs[i]}' is {t}; supported: {string.Join(", ", allowed)}");
    }

    /// <summary>
    /// A shape whose dims come from a runtime 1-D input of <paramref name="length"/> entries: the rank
    /// is known when that input's length is, the dims are not (the executor then refuses to plan it).
    /// </summary>
    public static Shape? UnknownDims(Dim length) => length.IsKnown ? new Shape([.. Enumerable.Repeat(Dim.Unknown, (int)length.Value)]) : null;

    public void SetOutput(int i, DataType type, Shape? shape)
    {
        if (i < OutputTypes.Length) OutputTypes[i] = new TensorType(type, shape);
    }

    public void SetOutputConstant(int i, Tensor value)
    {
        if (i >= OutputTypes.Length) return;
        OutputTypes[i] = value.Type;
        OutputConstants[i] = value;
    }

}
