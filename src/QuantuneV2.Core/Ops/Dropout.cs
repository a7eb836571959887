using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Dropout at inference: the identity, with an all-true mask when the mask output is requested.</summary>
public sealed class Dropout : Op
{
    public override string OpType => "Dropout";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, ctx.Opset < 12 ? 1 : 3);
        ctx.RequireType(0, DataType.Float, DataType.Double);
        if (ctx.Constant(2) is { } training && training.ToInt64Array()[0] != 0 && ctx.Constant(1) is { } ratio && ratio.ToFloatArray()[0] != 0)
            throw ctx.Fail(Diagnostics.DiagnosticCode.InvalidInput, "training-mode dropout is not supported (set training_mode to false)");
        ctx.SetOutput(0, ctx.Input(0).DataType, ctx.Input(0).Shape);
        ctx.SetOutput(1, ctx.Opset < 10 ? ctx.Input(0).DataType : DataType.Bool, ctx.Input(0).Shape);
    }

    public override Kernel CreateKernel(KernelContext ctx) => new DelegateKernel((inputs, outputs) =>
    {
        if (inputs.Length > 2 && inputs[2] is { } training && training.ToInt64Array()[0] != 0 && (inputs[1]?.ToFloatArray()[0] ?? 0.5f) != 0)
            throw ctx.Fail(Diagnostics.DiagnosticCode.InvalidInput, "training-mode dropout is not supported (set training_mode to false)");
        Array.Copy(inputs[0]!.Data, outputs[0].Data, outputs[0].Length);
        if (outputs.Length > 1 && outputs[1].Length > 0)
        {
            if (outputs[1].Data is bool[] mask) Array.Fill(mask, true, 0, outputs[1].Length);
            else if (outputs[1].Data is float[] fm) Array.Fill(fm, 1f, 0, outputs[1].Length);
            else Array.Fill((double[])outputs[1].Data, 1d, 0, outputs[1].Length);
        }
    });
}
