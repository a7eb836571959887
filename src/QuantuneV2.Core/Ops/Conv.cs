using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>Conv over 1-3 spatial dims with groups (depthwise included), strides, dilations and pads.</summary>
public sealed class Conv : Op
{
    public override string OpType => "Conv";

    /// <summary>The node's window: kernel_shape, or else the weight's spatial dims, checked against both shapes.</summary>
    public static SpatialGeometry Geometry(NodeContext ctx, Shape x, Shape w)
    {
        int spatial = x.Rank - 2;
        if (spatial is < 1 or > 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {x} must be N x C x (1 to 3 spatial dims)");
        if (w.Rank != x.Rank) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"weight {w} and input {x} differ in rank");
        var kernel = ctx.Ints("kernel_shape") ?? w.Dims.Skip(2).Select(d => d.IsKnown ? d.Value : throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"weight {w} needs static kernel dims")).ToArray();
        if (kernel.Length != spatial) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"kernel_shape has {kernel.Length} dims, the input has {spatial} spatial dims");
        for (int k = 0; k < spatial; k++)
            if (w[k + 2].IsKnown && w[k + 2].Value != kernel[k]) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"kernel_shape [{string.Join(",", kernel)}] does not match weight {w}");
        return SpatialGeometry.Read(ctx, kernel.Select(v => (int)Math.Clamp(v, 0, int.MaxValue)).ToArray(), ceilAllowed: false);
    }

    public override void Infer(InferenceContext ctx) => InferConv(ctx, maxInputs: 3);

    internal static void InferConv(InferenceContext ctx, int maxInputs)
    {
        ctx.RequireInputCount(2, maxInputs);
        ctx.RequireType(0, DataType.Float);
        ctx.RequireType(1, DataType.Float);
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        var g = Geometry(ctx, x, w);
        long groups = ctx.Int("group", 1);
        if (groups < 1) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"group {groups} must be positive");
        if (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value * groups)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input has {x[1]} channels, weight {w} with group {groups} expects {(w[1].IsKnown ? w[1].Value * groups : 0)}");
        if (w[0].IsKnown && w[0].Value % groups != 0)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"{w[0].Value} output channels are not divisible by group {groups}");
        if (ctx.HasInput(2))
        {
            ctx.RequireType(2, DataType.Float);
            var b = ctx.InputShape(2);
            if (b.Rank != 1 || (b[0].IsKnown && w[0].IsKnown && b[0].Value != w[0].Value))
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"bias {b} must be [{w[0]}]");
        }
        var y = g.OutputShape(ctx, x, w[0]);
        if (ctx.HasInput(3) && !ctx.InputShape(3).Equals(y))
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"residual input {ctx.InputShape(3)} must have the output shape {y}");
        ctx.SetOutput(0, DataType.Float, y);
    }

    public override Kernel CreateKernel(KernelContext ctx) => CreateKernel(ctx, Activation.None, residual: false);

    /// <summary>
    /// The convolution y = act(conv(x) + b [+ z]) for Conv and FusedConv. Without a residual input the
    /// activation runs in the packed kernel's epilogue; with one it runs after the add.
    /// </summary>
    internal static Kernel CreateKernel(KernelContext ctx, Activation activation, bool residual)
    {
        var conv = CreateConv(ctx, residual ? Activation.None : activation);
        if (!residual && (conv is PackedKernel || activation.Kind == ActivationKind.None)) return conv;
        return new DelegateKernel((inputs, outputs) =>
        {
            conv.Run(inputs, outputs);
            activation.AddThenApply(outputs[0].Floats, residual ? inputs[3]!.Floats : default);
        });
    }

    private static Kernel CreateConv(KernelContext ctx, Activation activation)
    {
        var xDims = ctx.InputDims(0);
        var wDims = ctx.InputDims(1);
        // Constant 2-D convolutions (every real CNN layer) take the packed SIMD path; the rest the direct loop.
        if (Geometry2d(ctx) is { } geometry && ctx.Constant(1) is { } w && (!ctx.HasInput(2) || ctx.Constant(2) is not null))
            return new PackedKernel(new Conv2d(geometry, w.Floats, ctx.Constant(2) is { } b ? b.Floats : default, activation), xDims[0]);
        var g = Geometry(ctx, Shape.Of(xDims), Shape.Of(wDims));
        return new ReferenceKernel(g.Window(xDims, ctx.OutputDims(0)), xDims[0], xDims[1], wDims[0], (int)ctx.Int("group", 1));
    }

    /// <summary>The node's geometry as a 2-D convolution, or null for 1-D and 3-D ones.</summary>
    private static Conv2dGeometry? Geometry2d(KernelContext ctx)
    {
        var xDims = ctx.InputDims(0);
        var wDims = ctx.InputDims(1);
        var g = Geometry(ctx, Shape.Of(xDims), Shape.Of(wDims));
        if (g.Rank != 2) return null;
        var (top, bottom) = g.Pads(0, xDims[2]);
        var (left, right) = g.Pads(1, xDims[3]);
        return new Conv2dGeometry(xDims[1], xDims[2], xDims[3], wDims[0], g.Kernel[0], g.Kernel[1], g.Strides[0], g.Strides[1],
            g.Dilations[0], g.Dilations[1], top, left, bottom, right, (int)ctx.Int("group", 1));
    }

    public override BackwardKernel? CreateBackward(KernelContext ctx) => CreateBackward(ctx, Activation.None);

    /// <summary>
    /// The backward of Conv and FusedConv (2-D, constant weights): the cotangent goes through the activation's
    /// derivative, then to x by the transposed convolution and as it is to the residual z.
    /// </summary>
    internal static BackwardKernel? CreateBackward(KernelContext ctx, Activation activation) =>
        Geometry2d(ctx) is { } geometry && ctx.Constant(1) is { } w
            ? new ConvBackward(new Conv2dBackwardData(geometry, w.Floats), activation, ctx.InputDims(0)[0])
            : null;

    private sealed class ConvBackward(Conv2dBackwardData data, Activation activation, int batch) : BackwardKernel
    {
        private float[] _scaled = [];

        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            if (_scaled.Length != outputGradient.Length) _scaled = new float[outputGradient.Length];
            FusedActivation.Derivative(activation, output.Floats, outputGradient, _scaled);
            if (inputGradients.Length > 3 && inputGradients[3] is { } z) System.Numerics.Tensors.TensorPrimitives.Add(z, _scaled, z);
            if (inputGradients[0] is not { } x) return;
            int inPlane = x.Length / batch, outPlane = _scaled.Length / batch;
            for (int n = 0; n < batch; n++) data.Accumulate(_scaled.AsSpan(n * outPlane, outPlane), x.AsSpan(n * inPlane, inPlane));
        }
    }

    /// <summary>Weights packed once at creation; one image of the batch per call, with the kernel's own scratch.</summary>
    private sealed class PackedKernel(Conv2d conv, int batch) : Kernel
    {
        private readonly float[] _scratch = new float[conv.ScratchLength];

        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var g = conv.Geometry;
            int inPlane = g.InChannels * g.InHeight * g.InWidth, outPlane = g.OutChannels * g.OutHeight * g.OutWidth;
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int n = 0; n < batch; n++) conv.Run(x.Slice(n * inPlane, inPlane), y.Slice(n * outPlane, outPlane), _scratch);
        }
    }

    /// <summary>Direct convolution: for each weight tap, a strided multiply-add over the valid output range.</summary>
    private sealed class ReferenceKernel(Window3d w, int batch, int inChannels, int outChannels, int groups) : Kernel
    {
        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var x = inputs[0]!.Floats;
            var wt = inputs[1]!.Floats;
            var bias = inputs.Length > 2 && inputs[2] is { } b ? b.Floats : default;
            var y = outputs[0].Floats;
            int cg = inChannels / groups, mg = outChannels / groups, kv = w.KernelVolume;
            for (int n = 0; n < batch; n++)
            {
                for (int m = 0; m < outChannels; m++)
                {
                    var plane = y.Slice((n * outChannels + m) * w.OutPlane, w.OutPlane);
                    plane.Fill(bias.IsEmpty ? 0f : bias[m]);
                    int group = m / mg;
                    for (int c = 0; c < cg; c++)
                    {
                        var input = x.Slice((n * inChannels + group * cg + c) * w.InPlane, w.InPlane);
                        var taps = wt.Slice((m * cg + c) * kv, kv);
                        AccumulateTaps(input, taps, plane);
                    }
                }
            }
        }

        private void AccumulateTaps(ReadOnlySpan<float> input, ReadOnlySpan<float> taps, Span<float> plane)
        {
            int t = 0;
            for (int a = 0; a < w.K[0]; a++)
            {
                var (z0, z1) = w.ValidOutputs(0, a);
                for (int b = 0; b < w.K[1]; b++)
                {
                    var (y0, y1) = w.ValidOutputs(1, b);
                    for (int c = 0; c < w.K[2]; c++, t++)
                    {
                        var (x0, x1) = w.ValidOutputs(2, c);
                        float wv = taps[t];
                        if (x0 >= x1) continue;
                        for (int oz = z0; oz < z1; oz++)
                        {
                            int iz = oz * w.S[0] - w.PadBegin[0] + a * w.D[0];
                            for (int oy = y0; oy < y1; oy++)
                            {
                                int iy = oy * w.S[1] - w.PadBegin[1] + b * w.D[1];
                                int inRow = (iz * w.In[1] + iy) * w.In[2] - w.PadBegin[2] + c * w.D[2];
                                int outRow = (oz * w.Out[1] + oy) * w.Out[2];
                                for (int ox = x0; ox < x1; ox++) plane[outRow + ox] += wv * input[inRow + ox * w.S[2]];
                            }
                        }
                    }
                }
            }
        }
    }
}
