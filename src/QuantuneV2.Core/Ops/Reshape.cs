using System.Collections.Immutable;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Reshape to a constant target shape: 0 copies the input dim (unless allowzero), −1 is inferred.</summary>
public sealed class Reshape : Op
{
    public override string OpType => "Reshape";

    public override long MinOpset => 5;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 2);
        var input = ctx.InputShape(0);
        if (ctx.Constant(1) is not { } shapeTensor)
        {
            ctx.SetOutput(0, ctx.Input(0).DataType, InferenceContext.UnknownDims(ctx.InputShape(1)[0]));
            return;
        }
        var target = shapeTensor.ToInt64Array();
        bool allowZero = ctx.Int("allowzero", 0) != 0;
        var dims = new Dim[target.Length];
        int inferAt = -1;
        long known = 1;
        bool knownIsExact = true;
        for (int k = 0; k < target.Length; k++)
        {
            long v = target[k];
            if (v == -1)
            {
                if (inferAt >= 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, "shape has more than one -1");
                inferAt = k;
                continue;
            }
            if (v < -1) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"shape has invalid dim {v}");
            if (v == 0 && !allowZero)
            {
                if (k >= input.Rank) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"shape copies dim {k} (0) but the input has rank {input.Rank}");
                dims[k] = input[k];
            }
            else dims[k] = Dim.Of(v);
            if (dims[k].IsKnown) known = checked(known * dims[k].Value);
            else knownIsExact = false;
        }

        // Element count of the input, cancelling unknown dims that the target copies at the same position.
        long total = 1;
        bool totalKnown = true;
        for (int k = 0; k < input.Rank; k++)
        {
            if (input[k].IsKnown) total = checked(total * input[k].Value);
            else if (!(k < target.Length && target[k] == 0 && !allowZero)) totalKnown = false;
        }
        if (!knownIsExact)
        {
            known = 1;
            for (int k = 0; k < dims.Length; k++) if (k != inferAt && dims[k].IsKnown) known = checked(known * dims[k].Value);
        }
        if (inferAt >= 0)
        {
            if (!totalKnown) dims[inferAt] = Dim.Unknown;
            else if (known == 0 || total % known != 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"cannot reshape {input} to [{string.Join(",", target)}]");
            else dims[inferAt] = Dim.Of(total / known);
        }
        else if (totalKnown && known != total)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"cannot reshape {input} ({total} elements) to [{string.Join(",", target)}]");
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape(dims.ToImmutableArray()));
    }

    public override Kernel CreateKernel(KernelContext ctx) => CopyKernel.Instance;

    public override BackwardKernel CreateBackward(KernelContext ctx) => PassThroughBackward.Instance;
}
