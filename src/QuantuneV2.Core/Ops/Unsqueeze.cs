using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Unsqueeze: inserts size-1 dims at the given output axes (attribute before opset 13, input after).</summary>
public sealed class Unsqueeze : Op
{
    public override string OpType => "Unsqueeze";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(ctx.Opset < 13 ? 1 : 2, ctx.Opset < 13 ? 1 : 2);
        var s = ctx.InputShape(0);
        if (ctx.Opset >= 13 && ctx.Constant(1) is null)
        {
            var n = ctx.InputShape(1)[0];
            ctx.SetOutput(0, ctx.Input(0).DataType, n.IsKnown ? InferenceContext.UnknownDims(Dim.Of(s.Rank + n.Value)) : null);
            return;
        }
        var axes = ctx.Opset < 13 ? ctx.Ints("axes") ?? throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'axes' is required")
                                  : ctx.Constant(1)!.ToInt64Array();
        int rank = s.Rank + axes.Length;
        var inserted = new HashSet<int>();
        foreach (var a in axes)
            if (!inserted.Add(ctx.Axis(a, rank))) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"axis {a} is listed twice");
        var dims = new List<Dim>(rank);
        int next = 0;
        for (int k = 0; k < rank; k++) dims.Add(inserted.Contains(k) ? Dim.Of(1) : s[next++]);
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape([.. dims]));
    }

    public override Kernel CreateKernel(KernelContext ctx) => CopyKernel.Instance;

    public override BackwardKernel CreateBackward(KernelContext ctx) => PassThroughBackward.Instance;
}
