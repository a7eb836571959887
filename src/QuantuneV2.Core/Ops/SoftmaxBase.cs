using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at axis (default 1) and the
/// op normalises over everything after it; from opset 13 it normalises along the axis (default −1).
/// </summary>
public abstract class SoftmaxBase : Op
{
    public override long MinOpset => 1;

    protected abstract bool Log { get; }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.Float);
        var s = ctx.InputShape(0);
        Axis(ctx, s.Rank);
        ctx.SetOutput(0, DataType.Float, s);
    }

    private static int Axis(NodeContext ctx, int rank) =>
        rank == 0 ? 0 : ctx.Axis(ctx.Int("axis", ctx.Opset < 13 ? 1 : -1), rank);

    /// <summary>
    /// The groups the node normalises over an input of <paramref name="dims"/>: Outer × Inner groups of Length values
    /// (stride Inner). Before opset 13 (coerced to 2-D) a group is everything after the axis; from 13 the axis alone.
    /// </summary>
    public static (int Outer, int Length, int Inner) Groups(NodeContext ctx, int[] dims)
    {
        int axis = Axis(ctx, dims.Length);
        int outer = 1, n = 1, inner = 1;
        for (int k = 0; k < axis; k++) outer *= dims[k];
        if (ctx.Opset < 13) for (int k = axis; k < dims.Length; k++) n *= dims[k];
        else
        {
            n = dims.Length == 0 ? 1 : dims[axis];
            for (int k = axis + 1; k < dims.Length; k++) inner *= dims[k];
        }
        return (outer, n, inner);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var (outer, n, inner) = Groups(ctx, ctx.InputDims(0));
        bool log = Log;
        return new DelegateKernel((inputs, outputs) =>
            Kernels.Program.Softmax.Normalize(inputs[0]!.Floats, outputs[0].Floats, outer, n, inner, log));
    }
}
