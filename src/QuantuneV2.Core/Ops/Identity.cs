using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>Identity: the output is the input.</summary>
public sealed class Identity : Op
{
    public override string OpType => "Identity";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        var t = ctx.Input(0);
        ctx.SetOutput(0, t.DataType, t.Shape);
    }

    public override Kernel CreateKernel(KernelContext ctx) => CopyKernel.Instance;

    public override BackwardKernel CreateBackward(KernelContext ctx) => PassThroughBackward.Instance;
}
