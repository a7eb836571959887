using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// FusedGemm (domain com.quantune, created by <see cref="Passes.FuseActivation"/>): y = act(Gemm(A, B, C)),
/// with Gemm's inputs and attributes and the epilogue of <see cref="FusedActivation"/>.
/// </summary>
public sealed class FusedGemm : Op
{
    private static readonly Gemm Plain = new();

    public override string OpType => "FusedGemm";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        FusedActivation.Read(ctx);
        Plain.Infer(ctx);
    }

    public override Kernel CreateKernel(KernelContext ctx) => Gemm.CreateKernel(ctx, FusedActivation.Read(ctx));

    public override BackwardKernel? CreateBackward(KernelContext ctx) => Gemm.CreateBackward(ctx, FusedActivation.Read(ctx));
}
