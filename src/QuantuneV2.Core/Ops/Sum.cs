using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Sum: element-wise sum of n broadcast inputs, computed as a chain of broadcast Adds.</summary>
public sealed class Sum : Op
{
    private static readonly Add AddOp = new();

    public override string OpType => "Sum";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, int.MaxValue);
        ctx.RequireType(0, DataType.Float, DataType.Double);
        for (int i = 1; i < ctx.InputCount; i++) ctx.RequireType(i, ctx.Input(0).DataType);
        ctx.SetOutput(0, ctx.Input(0).DataType, Broadcasting.InferShape(ctx, Enumerable.Range(0, ctx.InputCount).Select(ctx.InputShape).ToArray()));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var type = ctx.InputType(0);
        var outDims = ctx.OutputDims(0);
        if (ctx.InputCount == 1) return CopyKernel.Instance;
        // Partial sums take the broadcast shape of what they have summed so far.
        var steps = new List<(BinaryOp.BroadcastKernel Kernel, Tensor? Partial)>();
        var accDims = ctx.InputDims(0);
        for (int i = 1; i < ctx.InputCount; i++)
        {
            var next = i == ctx.InputCount - 1 ? outDims : Broadcasting.Dims(accDims, ctx.InputDims(i));
            steps.Add((BinaryOp.Create(AddOp, type, accDims, ctx.InputDims(i), next), i == ctx.InputCount - 1 ? null : Tensor.Zeros(type, next)));
            accDims = next;
        }
        return new DelegateKernel((inputs, outputs) =>
        {
            var acc = inputs[0]!;
            for (int s = 0; s < steps.Count; s++)
            {
                var target = steps[s].Partial ?? outputs[0];
                steps[s].Kernel.Apply(acc, inputs[s + 1]!, target);
                acc = target;
            }
        });
    }
}
