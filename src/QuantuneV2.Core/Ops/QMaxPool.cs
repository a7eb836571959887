using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Kernels;

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
        var w = Float.Geometry(ctx, inDims.Length - 2).Window(inDims, ctx.OutputDims(0));
        int planes = inDims[0] * inDims[1];
        var x = new int[planes * w.InPlane]; // the kernel's own buffer (one session, one thread)
        return new DelegateKernel((inputs, outputs) =>
        {
            QuantTensor.Read(inputs[0]!, 0, x);
            QuantizedPool.Run(w, planes, x, outputs[0], default(Max));
        });
    }

    private readonly struct Max : QuantizedPool.IReducer
    {
        public int Seed => int.MinValue;
        public int Combine(int accumulator, int value) => Math.Max(accumulator, value);
        public int Finish(int accumulator, int z, int y, int x, int taps) => accumulator;
    }
}
