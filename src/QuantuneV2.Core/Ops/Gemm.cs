using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>Gemm: Y = alpha·op(A)·op(B) + beta·C, op = optional transpose, C broadcast to [M, N].</summary>
public sealed class Gemm : Op
{
    public override string OpType => "Gemm";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(ctx.Opset < 11 ? 3 : 2, 3);
        for (int i = 0; i < ctx.InputCount; i++) if (ctx.HasInput(i)) ctx.RequireType(i, DataType.Float);
        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        if (a.Rank != 2 || b.Rank != 2) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"A {a} and B {b} must be matrices");
        bool ta = ctx.Int("transA", 0) != 0, tb = ctx.Int("transB", 0) != 0;
        Dim m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1], kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (ka.IsKnown && kb.IsKnown && ka.Value != kb.Value)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"inner dims differ: A {a}{(ta ? "ᵀ" : "")} · B {b}{(tb ? "ᵀ" : "")}");
        var y = new Shape([m, n]);
        if (ctx.HasInput(2)) Broadcasting.InferShape(ctx, [ctx.InputShape(2), y]);
        ctx.SetOutput(0, DataType.Float, y);
    }

    public override Kernel CreateKernel(KernelContext ctx) => CreateKernel(ctx, Activation.None);

    public override BackwardKernel? CreateBackward(KernelContext ctx) => CreateBackward(ctx, Activation.None);

    /// <summary>The backward of Gemm and FusedGemm to A, for constant B and C and A not transposed.</summary>
    internal static BackwardKernel? CreateBackward(KernelContext ctx, Activation activation)
    {
        if (ctx.Int("transA", 0) != 0 || ctx.Constant(1) is not { } b || (ctx.HasInput(2) && ctx.Constant(2) is null)) return null;
        var a = ctx.InputDims(0);
        return new MatrixBackward(b.Floats.ToArray(), ctx.Int("transB", 0) != 0, a[0], ctx.OutputDims(0)[1], a[1], ctx.Float("alpha", 1f), activation);
    }

    /// <summary>y = act(alpha·op(A)·op(B) + beta·C) for Gemm and FusedGemm: the activation runs in place after the product.</summary>
    internal static Kernel CreateKernel(KernelContext ctx, Activation activation)
    {
        var a = ctx.InputDims(0);
        bool ta = ctx.Int("transA", 0) != 0, tb = ctx.Int("transB", 0) != 0;
        int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
        int n = ctx.OutputDims(0)[1];
        float alpha = ctx.Float("alpha", 1f), beta = ctx.Float("beta", 1f);
        var cStrides = ctx.HasInput(2) ? Broadcasting.Strides(ctx.InputDims(2), [m, n]) : [0, 0];
        return new DelegateKernel((inputs, outputs) =>
            DenseLayer.Run(ta, tb, m, n, k, alpha, inputs[0]!.Floats, inputs[1]!.Floats, beta, inputs.Length > 2 && inputs[2] is { } c ? c.Floats : default,
                cStrides[0], cStrides[1], activation, outputs[0].Floats));
    }
}
