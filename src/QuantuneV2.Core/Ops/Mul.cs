using System.Numerics;
using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Mul: a · b, with broadcasting.</summary>
public sealed class Mul : BinaryOp
{
    public override string OpType => "Mul";

    public override void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);

    public override T Scalar<T>(T a, T b) => unchecked(a * b);
}
