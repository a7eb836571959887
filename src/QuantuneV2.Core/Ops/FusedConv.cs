using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// FusedConv (domain com.quantune, created by the fusion passes): y = act(Conv(x, w) + b + z), with
/// Conv's attributes, an optional residual input z (input 3) and the epilogue of <see cref="FusedActivation"/>.
/// </summary>
public sealed class FusedConv : Op
{
    public override string OpType => "FusedConv";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        FusedActivation.Read(ctx);
        Conv.InferConv(ctx, maxInputs: 4);
    }

    /// <summary>A Conv, or a FusedConv that has not absorbed an activation yet (so an add or activation may still follow into it).</summary>
    public static bool IsOpenConvolution(IR.Node n, bool allowResidual) =>
        (n.OpType == "Conv" && n.Domain.Length == 0) ||
        (n.OpType == "FusedConv" && n.Domain == OpRegistry.QuantuneDomain && !n.HasAttribute("activation") && (allowResidual || n.InputAt(3).Length == 0));

    public override Kernel CreateKernel(KernelContext ctx) => Conv.CreateKernel(ctx, FusedActivation.Read(ctx), residual: ctx.HasInput(3));

    public override BackwardKernel? CreateBackward(KernelContext ctx) => Conv.CreateBackward(ctx, FusedActivation.Read(ctx));
}
