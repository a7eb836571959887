using System.Numerics.Tensors;

namespace QuantuneV2.Core.Ops;

/// <summary>GlobalAveragePool: the mean of each plane.</summary>
public sealed class GlobalAveragePool : GlobalPoolBase
{
    public override string OpType => "GlobalAveragePool";

    protected override float Reduce(ReadOnlySpan<float> plane) => TensorPrimitives.Sum(plane) / plane.Length;
}
