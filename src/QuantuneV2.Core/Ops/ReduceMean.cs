using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>ReduceMean over axes (attribute before opset 18, input after; none = all unless noop_with_empty_axes).</summary>
public sealed class ReduceMean : Op
{
    public override string OpType => "ReduceMean";

    private static bool[] Reduced(NodeContext ctx, Func<int, Tensor?> constant, int rank)
    {
        long[]? axes = ctx.Opset < 18 ? ctx.Ints("axes")
            : ctx.HasInput(1) ? (constant(1) ?? throw ctx.Fail(Diagnostics.DiagnosticCode.InvalidInput, "axes must be a constant")).ToInt64Array() : null;
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            bool noop = ctx.Opset >= 18 && ctx.Int("noop_with_empty_axes", 0) != 0;
            Array.Fill(reduced, !noop);
        }
        else foreach (var a in axes) reduced[ctx.Axis(a, rank)] = true;
        return reduced;
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, ctx.Opset < 18 ? 1 : 2);
        ctx.RequireType(0, DataType.Float);
        var s = ctx.InputShape(0);
        if (ctx.Opset >= 18 && ctx.HasInput(1) && ctx.Constant(1) is null)
        {
            ctx.SetOutput(0, DataType.Float, ctx.Int("keepdims", 1) != 0 ? InferenceContext.UnknownDims(Dim.Of(s.Rank)) : null);
            return;
        }
        var reduced = Reduced(ctx, ctx.Constant, s.Rank);
        bool keep = ctx.Int("keepdims", 1) != 0;
        var dims = s.Dims.Select((d, k) => reduced[k] ? (keep ? Dim.Of(1) : (Dim?)null) : d).Where(d => d is not null).Select(d => d!.Value);
        ctx.SetOutput(0, DataType.Float, new Shape([.. dims]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var reduced = Reduced(ctx, ctx.Constant, inDims.Length);
        // Output index of every input element: reduced dims collapse to 0.
        var outDims = inDims.Select((d, k) => reduced[k] ? 1 : d).ToArray();
        var outStrides = IndexMapKernel.Strides(outDims);
        var target = IndexMapKernel.Build(inDims, idx =>
        {
            int o = 0;
            for (int k = 0; k < idx.Length; k++) if (!reduced[k]) o += idx[k] * outStrides[k];
            return o;
        });
        int count = inDims.Where((_, k) => reduced[k]).Aggregate(1, (p, d) => p * d);
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            var sums = new double[y.Length];
            for (int i = 0; i < target.Length; i++) sums[target[i]] += x[i];
            for (int i = 0; i < y.Length; i++) y[i] = (float)(sums[i] / count);
        });
    }
}
