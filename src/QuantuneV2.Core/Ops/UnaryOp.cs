using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>y = f(x) over a whole float span.</summary>
public delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

/// <summary>Element-wise float activations (Relu, Sigmoid, Tanh, ...): same shape in and out.</summary>
public abstract class UnaryOp : Op
{
    /// <summary>The activation with the node's attributes bound.</summary>
    protected abstract SpanMap Bind(NodeContext ctx);

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.Float);
        Bind(ctx);
        ctx.SetOutput(0, DataType.Float, ctx.Input(0).Shape);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var f = Bind(ctx);
        return new DelegateKernel((inputs, outputs) => f(inputs[0]!.Floats, outputs[0].Floats));
    }
}
