using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Sigmoid: 1 / (1 + e^−x).</summary>
public sealed class Sigmoid : UnaryOp
{
    public override string OpType => "Sigmoid";

    protected override SpanMap Bind(NodeContext ctx) => static (x, y) => TensorPrimitives.Sigmoid(x, y);
}
