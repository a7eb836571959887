using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QGemm (domain com.quantune): the int8 fully connected layer y = x·wᵀ of docs/numerics.md.
/// Inputs: x [M, K] (uint8/int8), w [N, K] (int8, constant), bias [N] (int32, optional), multiplier [N]
/// (float32, s_x·s_w[n]/s_y). Attributes: x_zero_point and the shared output attributes.
///   y[m, n] = clamp(requantize(bias[n] + Σ_k (x[m, k] − x_zp)·w[n, k], multiplier[n]))
/// </summary>
public sealed class QGemm : Op
{
    public override string OpType => "QGemm";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        QuantizedOutput.CheckLinearInputs(ctx, maxInputs: 4);
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        if (x.Rank != 2 || w.Rank != 2 || (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value))
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"x {x} and w {w} must be [M, K] and [N, K]");
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, new Shape([x[0], w[0]]));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var x = ctx.InputDims(0);
        int m = x[0], k = x[1], n = ctx.InputDims(1)[0], xZero = (int)ctx.Int("x_zero_point", 0);
        var output = QuantizedOutput.Read(ctx);
        return new DelegateKernel((inputs, outputs) =>
        {
            var xq = QuantTensor.Read(inputs[0]!);
            var w = inputs[1]!.Span<sbyte>();
            var bias = inputs[2] is { } b ? b.Span<int>() : default;
            var multiplier = inputs[3]!.Floats;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    int acc = bias.IsEmpty ? 0 : bias[j];
                    for (int p = 0; p < k; p++) acc += (xq[i * k + p] - xZero) * w[j * k + p];
                    QuantTensor.Write(outputs[0], i * n + j, output.Requantize(acc, multiplier[j]));
                }
        });
    }
}
