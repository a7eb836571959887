using System.Numerics;
using System.Numerics.Tensors;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using Tensor = QuantuneV2.Core.IR.Tensor;

namespace QuantuneV2.Core.Ops;

/// <summary>Add: a + b, with broadcasting.</summary>
public sealed class Add : BinaryOp
{
    public override string OpType => "Add";

    public override void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(a, b, y);

    public override T Scalar<T>(T a, T b) => unchecked(a + b);

    /// <summary>The backward without broadcasting (the residual adds of CNNs): both inputs get the cotangent as it is.</summary>
    public override BackwardKernel? CreateBackward(KernelContext ctx) =>
        ctx.InputDims(0).SequenceEqual(ctx.OutputDims(0)) && ctx.InputDims(1).SequenceEqual(ctx.OutputDims(0)) ? new Backward() : null;

    private sealed class Backward : BackwardKernel
    {
        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            foreach (var g in inputGradients)
                if (g is not null) TensorPrimitives.Add(g, outputGradient, g);
        }
    }
}
