using System.Numerics;
using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>Add: a + b, with broadcasting.</summary>
public sealed class Add : BinaryOp
{
    public override string OpType => "Add";

    public override void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(a, b, y);

    public override T Scalar<T>(T a, T b) => unchecked(a + b);
}
