using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>LRN across channels: y = x / (bias + alpha/size · Σ x²)^beta over a window of size channels.</summary>
public sealed class Lrn : Op
{
    public override string OpType => "LRN";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.Float);
        if (ctx.Int("size", 0) < 1) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'size' is required and must be positive");
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        ctx.SetOutput(0, DataType.Float, s);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int size = (int)ctx.Int("size", 1);
        float alpha = ctx.Float("alpha", 1e-4f), beta = ctx.Float("beta", 0.75f), bias = ctx.Float("bias", 1f);
        int n = dims[0], c = dims[1], plane = 1;
        for (int k = 2; k < dims.Length; k++) plane *= dims[k];
        int before = (size - 1) / 2, after = size - 1 - before;
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++)
                    for (int p = 0; p < plane; p++)
                    {
                        float sq = 0;
                        for (int j = Math.Max(0, ch - before); j <= Math.Min(c - 1, ch + after); j++)
                        {
                            float v = x[(b * c + j) * plane + p];
                            sq += v * v;
                        }
                        int at = (b * c + ch) * plane + p;
                        y[at] = x[at] / MathF.Pow(bias + alpha / size * sq, beta);
                    }
        });
    }
}
