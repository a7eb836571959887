using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>GlobalAveragePool / GlobalMaxPool: one value per (N, C) plane; spatial dims become 1.</summary>
public abstract class GlobalPoolBase : Op
{
    public override long MinOpset => 1;

    protected abstract float Reduce(ReadOnlySpan<float> plane);

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.Float);
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        ctx.SetOutput(0, DataType.Float, new Shape([s[0], s[1], .. Enumerable.Repeat(Dim.Of(1), s.Rank - 2)]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int planes = dims[0] * dims[1], size = 1;
        for (int k = 2; k < dims.Length; k++) size *= dims[k];
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int p = 0; p < planes; p++) y[p] = Reduce(x.Slice(p * size, size));
        });
    }
}
