using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// A node plus the model's opset: attribute access with ONNX defaults and error reporting that
/// names the node. Shared by shape inference and kernel creation so both read attributes one way.
/// </summary>
public abstract class NodeContext
{
    protected NodeContext(Node node, long opset)
    {
        Node = node;
        Opset = opset;
    }

    /// <summary>Attribute access outside inference and kernel creation (graph rewrites, exports).</summary>
    public static NodeContext Of(Node node, long opset) => new AttributesOnly(node, opset);

    private sealed class AttributesOnly(Node node, long opset) : NodeContext(node, opset);

    public Node Node { get; }
    public long Opset { get; }
    public int InputCount => Node.Inputs.Length;

    public bool HasInput(int i) => Node.InputAt(i).Length > 0;

    public void RequireInputCount(int min, int max)
    {
        if (InputCount < min || InputCount > max)
            throw Fail(DiagnosticCode.InvalidInput, min == max ? $"expects {min} inputs, has {InputCount}" : $"expects {min} to {max} inputs, has {InputCount}");
        for (int i = 0; i < min; i++)
            if (!HasInput(i)) throw Fail(DiagnosticCode.InvalidInput, $"required input {i} is empty");
    }

    public QuantuneException Fail(DiagnosticCode code, string message) =>
        new(code, message, nodeName: Node.DisplayName, opType: Node.OpType);

    // Attribute access with ONNX defaults; wrong attribute kinds are errors, not crashes.
    public long Int(string name, long defaultValue) => Attr(name, AttributeKind.Int)?.I ?? defaultValue;
    public float Float(string name, float defaultValue) => Attr(name, AttributeKind.Float)?.F ?? defaultValue;
    public string String(string name, string defaultValue) => Attr(name, AttributeKind.String)?.S ?? defaultValue;
    public long[]? Ints(string name) => Attr(name, AttributeKind.Ints)?.Ints;
    public float[]? Floats(string name) => Attr(name, AttributeKind.Floats)?.Floats;
    public Tensor? TensorAttr(string name) => Attr(name, AttributeKind.Tensor)?.T;

    private IR.Attribute? Attr(string name, AttributeKind kind)
    {
        var a = Node.FindAttribute(name);
        if (a is null) return null;
        if (a.Kind != kind) throw Fail(DiagnosticCode.InvalidAttribute, $"attribute '{name}' is {a.Kind}, expected {kind}");
        return a;
    }

    /// <summary>Normalises a possibly negative axis against <paramref name="rank"/>.</summary>
    public int Axis(long axis, int rank, string what = "axis")
    {
        if (axis < -rank || axis >= rank) throw Fail(DiagnosticCode.InvalidAttribute, $"{what} {axis} is out of range for rank {rank}");
        return (int)(axis < 0 ? axis + rank : axis);
    }
}
