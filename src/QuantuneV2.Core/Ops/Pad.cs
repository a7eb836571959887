using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// Pad in constant, edge or reflect mode: pads (and the fill value) are attributes before opset 11,
/// inputs after; negative pads crop. Opset 18's axes input selects which dims the pads refer to.
/// </summary>
public sealed class Pad : Op
{
    public override string OpType => "Pad";

    private static string Mode(NodeContext ctx)
    {
        var mode = ctx.String("mode", "constant");
        return mode is "constant" or "edge" or "reflect" ? mode : throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"mode '{mode}' is not one of constant, edge, reflect");
    }

    private static long[] Pads(NodeContext ctx, Func<int, Tensor?> constant, int rank)
    {
        long[] pads;
        if (ctx.Opset < 11)
        {
            pads = ctx.Ints("pads") ?? throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'pads' is required");
        }
        else
        {
            pads = (constant(1) ?? throw ctx.Fail(DiagnosticCode.InvalidInput, "pads must be a constant")).ToInt64Array();
            if (ctx.HasInput(3))
            {
                var axes = (constant(3) ?? throw ctx.Fail(DiagnosticCode.InvalidInput, "axes must be a constant")).ToInt64Array();
                if (pads.Length != 2 * axes.Length) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"{pads.Length} pads for {axes.Length} axes");
                var full = new long[2 * rank];
                for (int i = 0; i < axes.Length; i++)
                {
                    int a = ctx.Axis(axes[i], rank);
                    full[a] = pads[i];
                    full[a + rank] = pads[i + axes.Length];
                }
                pads = full;
            }
        }
        if (pads.Length != 2 * rank) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"{pads.Length} pads for rank {rank} (expected {2 * rank})");
        if (pads.Any(p => Math.Abs(p) > int.MaxValue / 4)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "pads are out of range");
        return pads;
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, ctx.Opset < 11 ? 1 : 4);
        var s = ctx.InputShape(0);
        Mode(ctx);
        if (ctx.Opset >= 11 && new[] { 1, 3 }.Any(i => ctx.HasInput(i) && ctx.Constant(i) is null))
        {
            ctx.SetOutput(0, ctx.Input(0).DataType, InferenceContext.UnknownDims(Dim.Of(s.Rank)));
            return;
        }
        var pads = Pads(ctx, ctx.Constant, s.Rank);
        var dims = new Dim[s.Rank];
        for (int k = 0; k < s.Rank; k++)
        {
            if (!s[k].IsKnown) { dims[k] = pads[k] == 0 && pads[k + s.Rank] == 0 ? s[k] : Dim.Unknown; continue; }
            long d = s[k].Value + pads[k] + pads[k + s.Rank];
            if (d < 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"pads crop dim {k} of {s} below zero");
            if (Mode(ctx) == "reflect" && (pads[k] >= s[k].Value || pads[k + s.Rank] >= s[k].Value))
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"reflect pads must be smaller than dim {k} of {s}");
            dims[k] = Dim.Of(d);
        }
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape([.. dims]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var pads = Pads(ctx, ctx.Constant, inDims.Length);
        var mode = Mode(ctx);
        var strides = IndexMapKernel.Strides(inDims);
        var map = IndexMapKernel.Build(ctx.OutputDims(0), idx =>
        {
            int src = 0;
            for (int k = 0; k < idx.Length; k++)
            {
                long i = idx[k] - pads[k], n = inDims[k];
                if (i < 0 || i >= n)
                {
                    if (mode == "constant") return -1;
                    i = mode == "edge" ? Math.Clamp(i, 0, n - 1) : i < 0 ? -i : 2 * (n - 1) - i;
                }
                src += (int)i * strides[k];
            }
            return src;
        });
        object attrValue = ctx.Float("value", 0f);
        return new DelegateKernel((inputs, outputs) =>
        {
            // The fill value is an attribute before opset 11 and an optional scalar input after.
            var value = ctx.Opset < 11 ? attrValue : inputs.Length > 2 && inputs[2] is { } v ? v.Data.GetValue(0)! : 0;
            IndexMapKernel.Apply(inputs[0]!.Data, outputs[0].Data, map, value);
        });
    }
}
