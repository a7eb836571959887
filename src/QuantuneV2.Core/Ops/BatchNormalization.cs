using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>BatchNormalization in inference mode: y = scale·(x − mean)/√(var + ε) + B per channel.</summary>
public sealed class BatchNormalization : Op
{
    public override string OpType => "BatchNormalization";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(5, 5);
        ctx.RequireType(0, DataType.Float);
        var s = ctx.InputShape(0);
        if (s.Rank < 2) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must have a channel dim");
        if (ctx.Int("training_mode", 0) != 0) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "training_mode is not supported");
        if (ctx.Opset < 9 && ctx.Int("spatial", 1) == 0) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "spatial=0 is not supported");
        if (ctx.Node.Outputs.Skip(1).Any(o => o.Length > 0)) throw ctx.Fail(DiagnosticCode.InvalidInput, "running/saved mean and variance outputs exist only in training mode, which is not supported");
        for (int i = 1; i < 5; i++)
        {
            ctx.RequireType(i, DataType.Float);
            var p = ctx.InputShape(i);
            if (p.Rank != 1 || (p[0].IsKnown && s[1].IsKnown && p[0].Value != s[1].Value))
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {i} {p} must be [C] with C = {s[1]}");
        }
        ctx.SetOutput(0, DataType.Float, s);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var dims = ctx.InputDims(0);
        int n = dims[0], c = dims[1], size = 1;
        for (int k = 2; k < dims.Length; k++) size *= dims[k];
        float eps = ctx.Float("epsilon", 1e-5f);
        var mul = new float[c];
        var add = new float[c];
        return new DelegateKernel((inputs, outputs) =>
        {
            var scale = inputs[1]!.Floats; var bias = inputs[2]!.Floats; var mean = inputs[3]!.Floats; var variance = inputs[4]!.Floats;
            for (int k = 0; k < c; k++)
            {
                mul[k] = scale[k] / MathF.Sqrt(variance[k] + eps);
                add[k] = bias[k] - mean[k] * mul[k];
            }
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int b = 0; b < n; b++)
                for (int k = 0; k < c; k++)
                {
                    int o = (b * c + k) * size;
                    var yc = y.Slice(o, size);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(x.Slice(o, size), mul[k], yc);
                    System.Numerics.Tensors.TensorPrimitives.Add(yc, add[k], yc);
                }
        });
    }
}
