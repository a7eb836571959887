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

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int axis = Axis(ctx, dims.Length);
        // Coerced form: rows of length prod(dims[axis..]); axis form: stride over dims[axis].
        int outer = 1, n = 1, inner = 1;
        for (int k = 0; k < axis; k++) outer *= dims[k];
        if (ctx.Opset < 13) for (int k = axis; k < dims.Length; k++) n *= dims[k];
        else
        {
            n = dims.Length == 0 ? 1 : dims[axis];
            for (int k = axis + 1; k < dims.Length; k++) inner *= dims[k];
        }
        bool log = Log;
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int b = o * n * inner + i;
                    float max = float.NegativeInfinity;
                    for (int k = 0; k < n; k++) max = Math.Max(max, x[b + k * inner]);
                    double sum = 0;
                    for (int k = 0; k < n; k++) sum += Math.Exp(x[b + k * inner] - max);
                    for (int k = 0; k < n; k++)
                    {
                        double v = x[b + k * inner] - max;
                        y[b + k * inner] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
                    }
                }
            }
        });
    }
}
