using System.Collections.Immutable;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Flatten: [d0..d(axis-1)] and [d(axis)..] become the two dims of a matrix.</summary>
public sealed class Flatten : Op
{
    public override string OpType => "Flatten";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        var t = ctx.Input(0);
        var s = ctx.InputShape(0);
        long axisAttr = ctx.Int("axis", 1);
        int axis = axisAttr == s.Rank ? s.Rank : ctx.Axis(axisAttr, s.Rank);
        ctx.SetOutput(0, t.DataType, new Shape(ImmutableArray.Create(Product(s, 0, axis), Product(s, axis, s.Rank))));
    }

    private static Dim Product(Shape s, int from, int to)
    {
        long p = 1;
        for (int k = from; k < to; k++)
        {
            if (!s[k].IsKnown) return to - from == 1 ? s[k] : Dim.Unknown;
            p = checked(p * s[k].Value);
        }
        return Dim.Of(p);
    }

    public override Kernel CreateKernel(KernelContext ctx) => CopyKernel.Instance;

    public override BackwardKernel CreateBackward(KernelContext ctx) => PassThroughBackward.Instance;
}
