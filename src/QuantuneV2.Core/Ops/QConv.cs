using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QConv (domain com.quantune): the int8 convolution of docs/numerics.md, computed by the scalar
/// integer reference kernel that every SIMD kernel and the generated code must match bit for bit.
/// Inputs: x (uint8/int8), w (int8, constant), bias (int32, optional), multiplier (float32 per output
/// channel: s_x·s_w[c]/s_y), and an optional residual z (uint8/int8, the output's shape).
/// Attributes: Conv's geometry, x_zero_point, the shared output attributes (<see cref="QuantizedOutput"/>),
/// and with a residual z_zero_point and z_multiplier (s_z/s_y).
///   acc = bias[c] + Σ (x − x_zp)·w   (padding reads x_zp, i.e. real zero)
///   y   = clamp(requantize(acc, multiplier[c]))                                          without z
///   y   = clamp(saturate(round_half_even(float32(acc)·M[c] + float32(z − z_zp)·Mz) + y_zp))   with z
/// </summary>
public sealed class QConv : Op
{
    public override string OpType => "QConv";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        QuantizedOutput.CheckLinearInputs(ctx, maxInputs: 5);
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        var g = Conv.Geometry(ctx, x, w);
        long groups = ctx.Int("group", 1);
        if (groups < 1 || (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value * groups) || (w[0].IsKnown && w[0].Value % groups != 0))
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {x}, weight {w} and group {groups} do not fit");
        foreach (var i in new[] { 2, 3 })
            if (ctx.HasInput(i) && (ctx.InputShape(i).Rank != 1 || (ctx.InputShape(i)[0].IsKnown && w[0].IsKnown && ctx.InputShape(i)[0].Value != w[0].Value)))
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {i} {ctx.InputShape(i)} must be [{w[0]}]");
        var y = g.OutputShape(ctx, x, w[0]);
        if (ctx.HasInput(4))
        {
            ctx.RequireType(4, DataType.UInt8, DataType.Int8);
            if (!ctx.InputShape(4).Equals(y)) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"residual {ctx.InputShape(4)} must have the output shape {y}");
            if (!ctx.Node.HasAttribute("z_multiplier")) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "a residual input needs z_multiplier");
        }
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, y);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var xDims = ctx.InputDims(0);
        var wDims = ctx.InputDims(1);
        var g = Conv.Geometry(ctx, Shape.Of(xDims), Shape.Of(wDims));
        return new ReferenceKernel(new Window3d(g, xDims, ctx.OutputDims(0)), xDims[0], xDims[1], wDims[0], (int)ctx.Int("group", 1),
            (int)ctx.Int("x_zero_point", 0), QuantizedOutput.Read(ctx), (int)ctx.Int("z_zero_point", 0), ctx.Float("z_multiplier", 0));
    }

    /// <summary>Obviously-correct loops: one accumulator per output element, taps clipped to the input.</summary>
    private sealed class ReferenceKernel(Window3d w, int batch, int inChannels, int outChannels, int groups, int xZero, QuantizedOutput output, int zZero, float zMultiplier) : Kernel
    {
        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var x = QuantTensor.Read(inputs[0]!);
            var wt = inputs[1]!.Span<sbyte>();
            var bias = inputs[2] is { } b ? b.Span<int>() : default;
            var multiplier = inputs[3]!.Floats;
            var residual = inputs.Length > 4 && inputs[4] is { } r ? QuantTensor.Read(r) : null;
            var y = outputs[0];
            int cg = inChannels / groups, mg = outChannels / groups, kv = w.KernelVolume;
            int o = 0;
            for (int n = 0; n < batch; n++)
                for (int m = 0; m < outChannels; m++)
                    for (int z = 0; z < w.Out[0]; z++)
                        for (int yy = 0; yy < w.Out[1]; yy++)
                            for (int xx = 0; xx < w.Out[2]; xx++, o++)
                            {
                                int acc = bias.IsEmpty ? 0 : bias[m];
                                for (int c = 0; c < cg; c++)
                                {
                                    int plane = (n * inChannels + m / mg * cg + c) * w.InPlane;
                                    int tap = (m * cg + c) * kv;
                                    for (int a = 0; a < w.K[0]; a++)
                                        for (int bb = 0; bb < w.K[1]; bb++)
                                            for (int cc = 0; cc < w.K[2]; cc++, tap++)
                                            {
                                                int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0];
                                                int iy = yy * w.S[1] - w.PadBegin[1] + bb * w.D[1];
                                                int ix = xx * w.S[2] - w.PadBegin[2] + cc * w.D[2];
                                                bool inside = (uint)iz < (uint)w.In[0] && (uint)iy < (uint)w.In[1] && (uint)ix < (uint)w.In[2];
                                                int q = inside ? x[plane + (iz * w.In[1] + iy) * w.In[2] + ix] : xZero;
                                                acc += (q - xZero) * wt[tap];
                                            }
                                }
                                QuantTensor.Write(y, o, residual is null ? output.Requantize(acc, multiplier[m])
                                    : output.FromScaled((float)acc * multiplier[m] + (float)(residual[o] - zZero) * zMultiplier));
                            }
        }
    }
}
