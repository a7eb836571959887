using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QGlobalAveragePool (domain com.quantune): acc = Σ (q − x_zp) over each plane in int32, then
/// y = clamp(requantize(acc, multiplier)) with multiplier = float32(s_x / (s_y · plane size)).
/// Attributes: x_zero_point, multiplier and the shared output attributes.
/// </summary>
public sealed class QGlobalAveragePool : Op
{
    public override string OpType => "QGlobalAveragePool";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.UInt8, DataType.Int8);
        if (!ctx.Node.HasAttribute("multiplier")) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'multiplier' is required");
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, new Shape([s[0], s[1], .. Enumerable.Repeat(Dim.Of(1), s.Rank - 2)]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int planes = dims[0] * dims[1], size = dims.Skip(2).Aggregate(1, (p, d) => p * d);
        int xZero = (int)ctx.Int("x_zero_point", 0);
        float multiplier = ctx.Float("multiplier", 0);
        var output = QuantizedOutput.Read(ctx);
        var x = new int[planes * size]; // the kernel's own buffer (one session, one thread)
        return new DelegateKernel((inputs, outputs) =>
        {
            QuantTensor.Read(inputs[0]!, 0, x);
            for (int p = 0; p < planes; p++)
            {
                int acc = 0;
                for (int i = 0; i < size; i++) acc += x[p * size + i] - xZero;
                QuantTensor.Write(outputs[0], p, output.Requantize(acc, multiplier));
            }
        });
    }
}
