using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>DequantizeLinear: y = (x − zero_point) · scale, from uint8, int8 or int32.</summary>
public sealed class DequantizeLinear : Op
{
    public override string OpType => "DequantizeLinear";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 3);
        ctx.RequireType(0, DataType.UInt8, DataType.Int8, DataType.Int32);
        ctx.RequireType(1, DataType.Float);
        if (ctx.HasInput(2)) ctx.RequireType(2, ctx.Input(0).DataType);
        var x = ctx.InputShape(0);
        QuantizationAxis.Check(ctx, x);
        ctx.SetOutput(0, DataType.Float, x);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var x = ctx.InputDims(0);
        var (channels, inner) = QuantizationAxis.Layout(ctx, x, ctx.InputDims(1).Aggregate(1, (p, d) => p * d));
        return new DelegateKernel((inputs, outputs) =>
        {
            var q = inputs[0]!.ToInt64Array();
            var scale = inputs[1]!.Floats;
            var zp = inputs.Length > 2 && inputs[2] is { } z ? z.ToInt64Array() : null;
            var y = outputs[0].Floats;
            for (int i = 0; i < q.Length; i++)
            {
                int c = i / inner % channels;
                y[i] = (q[i] - (zp?[c] ?? 0)) * scale[c];
            }
        });
    }
}
