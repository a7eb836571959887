using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Gather: picks entries of data along an axis by (possibly negative) int32/int64 indices.</summary>
public sealed class Gather : Op
{
    public override string OpType => "Gather";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 2);
        ctx.RequireType(1, DataType.Int32, DataType.Int64);
        var data = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        if (data.Rank == 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, "data must have rank ≥ 1");
        int axis = ctx.Axis(ctx.Int("axis", 0), data.Rank);
        if (ctx.Constant(1) is { } idx && data[axis].IsKnown)
            foreach (var i in idx.ToInt64Array())
                if (i < -data[axis].Value || i >= data[axis].Value)
                    throw ctx.Fail(DiagnosticCode.InvalidInput, $"index {i} is out of range for axis {axis} of size {data[axis].Value}");
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape([.. data.Dims.Take(axis), .. indices.Dims, .. data.Dims.Skip(axis + 1)]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var data = ctx.InputDims(0);
        int axis = ctx.Axis(ctx.Int("axis", 0), data.Length);
        int outer = 1, inner = 1, size = data[axis];
        for (int k = 0; k < axis; k++) outer *= data[k];
        for (int k = axis + 1; k < data.Length; k++) inner *= data[k];
        var node = ctx;
        return new DelegateKernel((inputs, outputs) =>
        {
            var indices = inputs[1]!.ToInt64Array();
            int o = 0;
            for (int a = 0; a < outer; a++)
            {
                foreach (var raw in indices)
                {
                    long i = raw < 0 ? raw + size : raw;
                    if (i < 0 || i >= size) throw node.Fail(DiagnosticCode.InvalidInput, $"index {raw} is out of range for axis {axis} of size {size}");
                    Array.Copy(inputs[0]!.Data, (a * size + (int)i) * inner, outputs[0].Data, o, inner);
                    o += inner;
                }
            }
        });
    }
}
