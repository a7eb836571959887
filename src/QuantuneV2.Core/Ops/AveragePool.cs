using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>AveragePool; count_include_pad decides whether pad positions count in the divisor.</summary>
public sealed class AveragePool : PoolBase
{
    public override string OpType => "AveragePool";

    protected override bool DilationsAllowed(long opset) => opset >= 19;

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = Geometry(ctx, inDims.Length - 2).Window(inDims, ctx.OutputDims(0));
        bool includePad = ctx.Int("count_include_pad", 0) != 0;
        int planes = Planes(inDims);
        var mean = new WindowLoop.Mean(w, includePad);
        return new DelegateKernel((inputs, outputs) => WindowLoop.ForEachWindow(w, planes, inputs[0]!.Floats, outputs[0].Floats, mean));
    }

    /// <summary>The backward: each window's cotangent, divided by the window's divisor, goes to every tap it read.</summary>
    public override BackwardKernel CreateBackward(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = Geometry(ctx, inDims.Length - 2).Window(inDims, ctx.OutputDims(0));
        return new Backward(w, Planes(inDims), ctx.Int("count_include_pad", 0) != 0);
    }

    private sealed class Backward(Window3d w, int planes, bool includePad) : BackwardKernel
    {
        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            if (inputGradients[0] is not { } gx) return;
            int o = 0;
            for (int p = 0; p < planes; p++)
                for (int z = 0; z < w.Out[0]; z++)
                {
                    var (a0, a1) = w.ValidTaps(0, z);
                    for (int yy = 0; yy < w.Out[1]; yy++)
                    {
                        var (b0, b1) = w.ValidTaps(1, yy);
                        for (int xx = 0; xx < w.Out[2]; xx++, o++)
                        {
                            var (c0, c1) = w.ValidTaps(2, xx);
                            int taps = (a1 - a0) * (b1 - b0) * (c1 - c0);
                            float share = outputGradient[o] / Math.Max(includePad ? w.PaddedTaps(z, yy, xx) : taps, 1);
                            for (int a = a0; a < a1; a++)
                                for (int b = b0; b < b1; b++)
                                    for (int c = c0; c < c1; c++)
                                    {
                                        int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0], iy = yy * w.S[1] - w.PadBegin[1] + b * w.D[1], ix = xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                                        gx[p * w.InPlane + (iz * w.In[1] + iy) * w.In[2] + ix] += share;
                                    }
                        }
                    }
                }
        }
    }
}
