using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QConcat (domain com.quantune): int8 concatenation along axis; each input is requantized to the
/// output's parameters: y = clamp(saturate(round_half_even(float32(q − zp_i)·M_i) + y_zp)), M_i = s_i/s_y.
/// With M_i = 1 and zp_i = y_zp this is an exact copy. Attributes: axis, input_zero_points (ints),
/// input_multipliers (floats) and the shared output attributes.
/// </summary>
public sealed class QConcat : Op
{
    public override string OpType => "QConcat";
    public override string Domain => OpRegistry.QuantuneDomain;

    private static (long[] ZeroPoints, float[] Multipliers) Inputs(NodeContext ctx)
    {
        var zps = ctx.Ints("input_zero_points") ?? [];
        var ms = ctx.Floats("input_multipliers") ?? [];
        if (zps.Length != ctx.InputCount || ms.Length != ctx.InputCount)
            throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"input_zero_points and input_multipliers need one value per input ({ctx.InputCount})");
        return (zps, ms);
    }

    public override void Infer(InferenceContext ctx)
    {
        Inputs(ctx);
        for (int i = 0; i < ctx.InputCount; i++) ctx.RequireType(i, DataType.UInt8, DataType.Int8);
        new Concat().Infer(ctx);
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, ctx.OutputTypes[0]!.Shape);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var (zps, ms) = Inputs(ctx);
        var (outer, blocks, outBlock) = Concat.Layout(ctx);
        var output = QuantizedOutput.Read(ctx);
        var q = new int[blocks.Max() * outer]; // the kernel's own buffer (one session, one thread)
        return new DelegateKernel((inputs, outputs) =>
        {
            int offset = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                QuantTensor.Read(inputs[i]!, 0, q.AsSpan(0, blocks[i] * outer));
                for (int o = 0; o < outer; o++)
                    for (int e = 0; e < blocks[i]; e++)
                        QuantTensor.Write(outputs[0], o * outBlock + offset + e, output.FromScaled((float)(q[o * blocks[i] + e] - zps[i]) * ms[i]));
                offset += blocks[i];
            }
        });
    }
}
