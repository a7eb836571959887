using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Shape: the input's dims as int64 (start/end slice from opset 15). Constant when the dims are static.</summary>
public sealed class ShapeOp : Op
{
    public override string OpType => "Shape";

    public override long MinOpset => 1;

    private static (int Start, int End) Range(NodeContext ctx, int rank)
    {
        long start = ctx.Int("start", 0), end = ctx.Int("end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = Math.Clamp(start, 0, rank);
        end = Math.Clamp(end, 0, rank);
        return ((int)start, (int)Math.Max(start, end));
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        var s = ctx.InputShape(0);
        var (start, end) = Range(ctx, s.Rank);
        var slice = s.Dims.Skip(start).Take(end - start).ToArray();
        if (slice.All(d => d.IsKnown)) ctx.SetOutputConstant(0, Tensor.FromInt64s(slice.Select(d => d.Value).ToArray(), slice.Length));
        else ctx.SetOutput(0, DataType.Int64, new Shape(slice.Length));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        var (start, end) = Range(ctx, dims.Length);
        return new DelegateKernel((_, outputs) =>
        {
            var y = outputs[0].Span<long>();
            for (int k = start; k < end; k++) y[k - start] = dims[k];
        });
    }
}
