using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point), to uint8 (default) or int8.</summary>
public sealed class QuantizeLinear : Op
{
    public override string OpType => "QuantizeLinear";

    private static DataType OutputType(InferenceContext ctx)
    {
        if (ctx.HasInput(2)) return ctx.Input(2).DataType;
        var requested = (DataType)ctx.Int("output_dtype", 0);
        return requested == DataType.Undefined ? DataType.UInt8 : requested;
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 3);
        ctx.RequireType(0, DataType.Float, DataType.Int32);
        ctx.RequireType(1, DataType.Float);
        var type = OutputType(ctx);
        if (type is not (DataType.UInt8 or DataType.Int8)) throw ctx.Fail(DiagnosticCode.UnsupportedDataType, $"output type {type} is not supported (uint8, int8)");
        var x = ctx.InputShape(0);
        QuantizationAxis.Check(ctx, x);
        ctx.SetOutput(0, type, x);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var x = ctx.InputDims(0);
        var (channels, inner) = QuantizationAxis.Layout(ctx, x, ctx.InputDims(1).Aggregate(1, (p, d) => p * d));
        bool signed = ctx.OutputType(0) == DataType.Int8;
        return new DelegateKernel((inputs, outputs) =>
        {
            var values = inputs[0]!.ToFloatArray();
            var scale = inputs[1]!.Floats;
            var zp = inputs.Length > 2 && inputs[2] is { } z ? z.ToInt64Array() : null;
            int lo = signed ? -128 : 0, hi = signed ? 127 : 255;
            for (int i = 0; i < values.Length; i++)
            {
                int c = i / inner % channels;
                float q = MathF.Round(values[i] / scale[c], MidpointRounding.ToEven) + (zp?[c] ?? 0);
                int v = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, lo, hi);
                if (signed) ((sbyte[])outputs[0].Data)[i] = (sbyte)v;
                else ((byte[])outputs[0].Data)[i] = (byte)v;
            }
        });
    }
}
