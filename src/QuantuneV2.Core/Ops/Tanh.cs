using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Tanh.</summary>
public sealed class Tanh : UnaryOp
{
    public override string OpType => "Tanh";

    protected override SpanMap Bind(NodeContext ctx) => static (x, y) => TensorPrimitives.Tanh(x, y);
}
