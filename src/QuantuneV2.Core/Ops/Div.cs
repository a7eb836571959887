using System.Numerics;
using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Div: a / b with broadcasting (integer division truncates; by zero gives 0 instead of a crash).</summary>
public sealed class Div : BinaryOp
{
    public override string OpType => "Div";

    public override void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);

    public override T Scalar<T>(T a, T b) => unchecked(T.IsZero(b) && typeof(T) != typeof(double) ? T.Zero : a / b);
}
