using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Relu: max(x, 0).</summary>
public sealed class Relu : UnaryOp
{
    public override string OpType => "Relu";

    protected override SpanMap Bind(NodeContext ctx) => static (x, y) => TensorPrimitives.Max(x, 0f, y);
}
