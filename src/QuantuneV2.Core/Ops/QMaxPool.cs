using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QMaxPool (domain com.quantune): MaxPool on quantized values. The maximum commutes with the
/// monotone dequantization, so the output keeps the input's type, scale and zero point exactly.
/// Attributes: MaxPool's (kernel_shape, strides, pads, dilations, ceil_mode, auto_pad).
/// </summary>
public sealed class QMaxPool : Op
{
    private static readonly MaxPool Float = new();

    public override string OpType => "QMaxPool";
    public override string Domain => OpRegistry.QuantuneDomain;
    public override long MinOpset => Float.MinOpset;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.UInt8, DataType.Int8);
        if (ctx.Node.Outputs.Length > 1) throw ctx.Fail(DiagnosticCode.InvalidInput, "QMaxPool has no Indices output");
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        ctx.SetOutput(0, ctx.Input(0).DataType, Float.OutputShape(ctx, s));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = new Window3d(Float.Geometry(ctx, inDims.Length - 2), inDims, ctx.OutputDims(0));
        int planes = inDims[0] * inDims[1];
        var x = new int[planes * w.InPlane]; // the kernel's own buffer (one session, one thread)
        return new DelegateKernel((inputs, outputs) =>
        {
            QuantTensor.Read(inputs[0]!, 0, x);
            int o = 0;
            for (int p = 0; p < planes; p++)
                for (int z = 0; z < w.Out[0]; z++)
                    for (int yy = 0; yy < w.Out[1]; yy++)
                        for (int xx = 0; xx < w.Out[2]; xx++, o++)
                        {
                            var (a0, a1) = w.ValidTaps(0, z);
                            var (b0, b1) = w.ValidTaps(1, yy);
                            var (c0, c1) = w.ValidTaps(2, xx);
                            int best = int.MinValue;
                            for (int a = a0; a < a1; a++)
                                for (int b = b0; b < b1; b++)
                                    for (int c = c0; c < c1; c++)
                                    {
                                        int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0], iy = yy * w.S[1] - w.PadBegin[1] + b * w.D[1], ix = xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                                        best = Math.Max(best, x[p * w.InPlane + (iz * w.In[1] + iy) * w.In[2] + ix]);
                                    }
                            QuantTensor.Write(outputs[0], o, best);
                        }
        });
    }
}
