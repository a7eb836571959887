using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>GlobalMaxPool: the maximum of each plane.</summary>
public sealed class GlobalMaxPool : GlobalPoolBase
{
    public override string OpType => "GlobalMaxPool";

    protected override float Reduce(ReadOnlySpan<float> plane) => TensorPrimitives.Max(plane);
}
