using System.Numerics.Tensors;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using Tensor = QuantuneV2.Core.IR.Tensor;

namespace QuantuneV2.Core.Ops;

/// <summary>GlobalAveragePool: the mean of each plane.</summary>
public sealed class GlobalAveragePool : GlobalPoolBase
{
    public override string OpType => "GlobalAveragePool";

    protected override float Reduce(ReadOnlySpan<float> plane) => TensorPrimitives.Sum(plane) / plane.Length;

    /// <summary>The backward: each plane's cotangent, divided by the plane size, goes to all of it.</summary>
    public override BackwardKernel CreateBackward(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int planes = dims[0] * dims[1], size = dims.Skip(2).Aggregate(1, (p, d) => p * d);
        return new Backward(planes, size);
    }

    private sealed class Backward(int planes, int size) : BackwardKernel
    {
        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            if (inputGradients[0] is not { } gx) return;
            for (int p = 0; p < planes; p++) TensorPrimitives.Add(gx.AsSpan(p * size, size), outputGradient[p] / size, gx.AsSpan(p * size, size));
        }
    }
}
