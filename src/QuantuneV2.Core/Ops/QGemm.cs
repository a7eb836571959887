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
        return new ReferenceKernel(x[0], x[1], ctx.InputDims(1)[0], (int)ctx.Int("x_zero_point", 0), QuantizedOutput.Read(ctx));
    }

    /// <summary>Obviously-correct integer dot products over x − x_zp, kept in a buffer of the kernel (one session, one thread).</summary>
    private sealed class ReferenceKernel(int m, int k, int n, int xZero, QuantizedOutput output) : Kernel
    {
        private readonly int[] _x = new int[m * k], _y = new int[n];

        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            QuantTensor.Read(inputs[0]!, 0, _x);
            for (int i = 0; i < _x.Length; i++) _x[i] -= xZero;
            var w = inputs[1]!.Span<sbyte>();
            var bias = inputs[2] is { } b ? b.Span<int>() : default;
            var multiplier = inputs[3]!.Floats;
            for (int i = 0; i < m; i++)
            {
                var x = _x.AsSpan(i * k, k);
                int j = 0;
                // Four weight rows at a time share each load of x.
                for (; j + 4 <= n; j += 4)
                {
                    var r0 = w.Slice(j * k, k);
                    var r1 = w.Slice((j + 1) * k, k);
                    var r2 = w.Slice((j + 2) * k, k);
                    var r3 = w.Slice((j + 3) * k, k);
                    int a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    for (int p = 0; p < x.Length; p++)
                    {
                        int xv = x[p];
                        a0 += xv * r0[p];
                        a1 += xv * r1[p];
                        a2 += xv * r2[p];
                        a3 += xv * r3[p];
                    }
                    _y[j] = a0; _y[j + 1] = a1; _y[j + 2] = a2; _y[j + 3] = a3;
                }
                for (; j < n; j++)
                {
                    var row = w.Slice(j * k, k);
                    int acc = 0;
                    for (int p = 0; p < row.Length; p++) acc += x[p] * row[p];
                    _y[j] = acc;
                }
                for (j = 0; j < n; j++) _y[j] = output.Requantize((bias.IsEmpty ? 0 : bias[j]) + _y[j], multiplier[j]);
                QuantTensor.Write(outputs[0], i * n, _y);
            }
        }
    }
}
