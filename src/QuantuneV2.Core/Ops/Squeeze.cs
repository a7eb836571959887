using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using System.Collections.Immutable;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Squeeze: removes size-1 dims (the listed axes, or all of them); axes are an attribute before opset 13, an input after.</summary>
public sealed class Squeeze : Op
{
    public override string OpType => "Squeeze";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, ctx.Opset < 13 ? 1 : 2);
        var s = ctx.InputShape(0);
        if (ctx.Opset >= 13 && ctx.HasInput(1) && ctx.Constant(1) is null)
        {
            ctx.SetOutput(0, ctx.Input(0).DataType, null);
            return;
        }
        long[]? axes = ctx.Opset < 13 ? ctx.Ints("axes") : ctx.Constant(1)?.ToInt64Array();
        var drop = new HashSet<int>();
        if (axes is null)
        {
            for (int k = 0; k < s.Rank; k++)
            {
                if (!s[k].IsKnown) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"cannot squeeze unknown dim {k} of {s} without axes");
                if (s[k].Value == 1) drop.Add(k);
            }
        }
        else
        {
            foreach (var a in axes)
            {
                int k = ctx.Axis(a, s.Rank);
                if (s[k].IsKnown && s[k].Value != 1) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"axis {a} of {s} is not 1");
                if (!drop.Add(k)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"axis {a} is listed twice");
            }
        }
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape(s.Dims.Where((_, k) => !drop.Contains(k)).ToImmutableArray()));
    }

    public override Kernel CreateKernel(KernelContext ctx) => CopyKernel.Instance;

    public override BackwardKernel CreateBackward(KernelContext ctx) => PassThroughBackward.Instance;
}
