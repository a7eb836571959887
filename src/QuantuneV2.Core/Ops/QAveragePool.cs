using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QAveragePool (domain com.quantune): acc = Σ (q − x_zp) over the window's taps inside the input, in
/// int32 (padding is real zero and adds nothing), then y = clamp(requantize(acc, multipliers[count − 1])).
/// count is AveragePool's divisor: with count_include_pad the window's taps inside input + pads, otherwise
/// its taps inside the input (so it may differ per output element; a window with no taps gives y_zp).
/// Attributes: AveragePool's, x_zero_point, multipliers (floats, one per possible count 1 … kernel
/// volume: float32(s_x / (s_y · count)) computed in double) and the shared output attributes.
/// </summary>
public sealed class QAveragePool : Op
{
    private static readonly AveragePool Float = new();

    public override string OpType => "QAveragePool";
    public override string Domain => OpRegistry.QuantuneDomain;
    public override long MinOpset => Float.MinOpset;

    private static float[] Multipliers(NodeContext ctx, SpatialGeometry g)
    {
        int volume = g.Kernel.Aggregate(1, (p, k) => p * k);
        var m = ctx.Floats("multipliers") ?? [];
        if (m.Length != volume) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"multipliers needs one value per possible count 1..{volume}, got {m.Length}");
        return m;
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.UInt8, DataType.Int8);
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        Multipliers(ctx, Float.Geometry(ctx, s.Rank - 2));
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, Float.OutputShape(ctx, s));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var g = Float.Geometry(ctx, inDims.Length - 2);
        var w = g.Window(inDims, ctx.OutputDims(0));
        int planes = inDims[0] * inDims[1];
        var mean = new Mean(w, ctx.Int("count_include_pad", 0) != 0, (int)ctx.Int("x_zero_point", 0), Multipliers(ctx, g), QuantizedOutput.Read(ctx));
        var x = new int[planes * w.InPlane]; // the kernel's own buffer (one session, one thread)
        return new DelegateKernel((inputs, outputs) =>
        {
            QuantTensor.Read(inputs[0]!, 0, x);
            QuantizedPool.Run(w, planes, x, outputs[0], mean);
        });
    }

    private readonly struct Mean(Window3d w, bool includePad, int xZero, float[] multipliers, QuantizedOutput output) : QuantizedPool.IReducer
    {
        public int Seed => 0;
        public int Combine(int accumulator, int value) => accumulator + (value - xZero);

        // A window without taps has acc = 0, which requantizes to y_zp whatever the multiplier.
        public int Finish(int accumulator, int z, int y, int x, int taps) =>
            output.Requantize(accumulator, multipliers[Math.Max(includePad ? w.PaddedTaps(z, y, x) : taps, 1) - 1]);
    }
}
