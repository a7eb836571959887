using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QAdd (domain com.quantune): the int8 residual add of docs/numerics.md, with broadcasting.
/// Attributes: a_zero_point, b_zero_point, a_multiplier (s_a/s_y), b_multiplier (s_b/s_y) and the shared output attributes.
///   y = clamp(saturate(round_half_even(float32(a − a_zp)·Ma + float32(b − b_zp)·Mb) + y_zp))
/// with both products and the sum in float32 (no fused multiply-add).
/// </summary>
public sealed class QAdd : Op
{
    public override string OpType => "QAdd";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 2);
        ctx.RequireType(0, DataType.UInt8, DataType.Int8);
        ctx.RequireType(1, DataType.UInt8, DataType.Int8);
        if (!ctx.Node.HasAttribute("a_multiplier") || !ctx.Node.HasAttribute("b_multiplier"))
            throw ctx.Fail(DiagnosticCode.InvalidAttribute, "a_multiplier and b_multiplier are required");
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, Broadcasting.InferShape(ctx, [ctx.InputShape(0), ctx.InputShape(1)]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var outDims = ctx.OutputDims(0);
        int[][] strides = [Broadcasting.Strides(ctx.InputDims(0), outDims), Broadcasting.Strides(ctx.InputDims(1), outDims)];
        int za = (int)ctx.Int("a_zero_point", 0), zb = (int)ctx.Int("b_zero_point", 0);
        float ma = ctx.Float("a_multiplier", 0), mb = ctx.Float("b_multiplier", 0);
        var output = QuantizedOutput.Read(ctx);
        int inner = outDims.Length == 0 ? 1 : outDims[^1];
        // The kernel's own buffers (one session, one thread): no allocation per run.
        var a = new int[ctx.InputDims(0).Aggregate(1, (p, d) => p * d)];
        var b = new int[ctx.InputDims(1).Aggregate(1, (p, d) => p * d)];
        return new DelegateKernel((inputs, outputs) =>
        {
            QuantTensor.Read(inputs[0]!, 0, a);
            QuantTensor.Read(inputs[1]!, 0, b);
            int sa = outDims.Length == 0 ? 0 : strides[0][^1], sb = outDims.Length == 0 ? 0 : strides[1][^1];
            Broadcasting.ForEachRow(outDims, strides, (yo, offsets) =>
            {
                for (int i = 0; i < inner; i++)
                {
                    float scaled = (float)(a[offsets[0] + i * sa] - za) * ma + (float)(b[offsets[1] + i * sb] - zb) * mb;
                    QuantTensor.Write(outputs[0], yo + i, output.FromScaled(scaled));
                }
            });
        });
    }
}
