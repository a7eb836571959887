using System.Numerics;
using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Sub: a − b, with broadcasting.</summary>
public sealed class Sub : BinaryOp
{
    public override string OpType => "Sub";

    public override void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);

    public override T Scalar<T>(T a, T b) => unchecked(a - b);
}
