using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>MaxPool, with the optional Indices output (flattened, row- or column-major per storage_order).</summary>
public sealed class MaxPool : PoolBase
{
    public override string OpType => "MaxPool";

    protected override bool DilationsAllowed(long opset) => opset >= 10;

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = Geometry(ctx, inDims.Length - 2).Window(inDims, ctx.OutputDims(0));
        bool columnMajor = ctx.Int("storage_order", 0) != 0;
        int planes = Planes(inDims);
        return new DelegateKernel((inputs, outputs) =>
        {
            WindowLoop.ForEachWindow(w, planes, inputs[0]!.Floats, outputs[0].Floats, default(WindowLoop.Max));
            if (outputs.Length > 1 && outputs[1].Length > 0) WriteIndices(w, planes, inputs[0]!.Floats, outputs[0].Floats, outputs[1].Span<long>(), columnMajor);
        });
    }

    /// <summary>The backward: each window's cotangent goes to the first position holding its maximum.</summary>
    public override BackwardKernel CreateBackward(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = Geometry(ctx, inDims.Length - 2).Window(inDims, ctx.OutputDims(0));
        return new Backward(w, Planes(inDims));
    }

    private sealed class Backward(Window3d w, int planes) : BackwardKernel
    {
        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            if (inputGradients[0] is not { } gx) return;
            var x = inputs[0]!.Floats;
            var y = output.Floats;
            int o = 0;
            for (int p = 0; p < planes; p++)
                for (int z = 0; z < w.Out[0]; z++)
                    for (int yy = 0; yy < w.Out[1]; yy++)
                        for (int xx = 0; xx < w.Out[2]; xx++, o++)
                            gx[p * w.InPlane + First(w, x.Slice(p * w.InPlane, w.InPlane), y[o], z, yy, xx)] += outputGradient[o];
        }
    }

    /// <summary>Indices output: the first position in scan order holding each window's maximum (rarely requested).</summary>
    private static void WriteIndices(Window3d w, int planes, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<long> indices, bool columnMajor)
    {
        int o = 0;
        for (int p = 0; p < planes; p++)
            for (int z = 0; z < w.Out[0]; z++)
                for (int yy = 0; yy < w.Out[1]; yy++)
                    for (int xx = 0; xx < w.Out[2]; xx++, o++)
                    {
                        int found = First(w, x.Slice(p * w.InPlane, w.InPlane), y[o], z, yy, xx);
                        int iz = found / (w.In[1] * w.In[2]), iy = found / w.In[2] % w.In[1], ix = found % w.In[2];
                        indices[o] = (long)p * w.InPlane + (columnMajor ? (ix * w.In[1] + iy) * w.In[0] + iz : found);
                    }
    }

    private static int First(Window3d w, ReadOnlySpan<float> plane, float max, int z, int yy, int xx)
    {
        var (a0, a1) = w.ValidTaps(0, z);
        var (b0, b1) = w.ValidTaps(1, yy);
        var (c0, c1) = w.ValidTaps(2, xx);
        for (int a = a0; a < a1; a++)
            for (int b = b0; b < b1; b++)
                for (int c = c0; c < c1; c++)
                {
                    int at = ((z * w.S[0] - w.PadBegin[0] + a * w.D[0]) * w.In[1] + yy * w.S[1] - w.PadBegin[1] + b * w.D[1]) * w.In[2] + xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                    if (plane[at] == max) return at;
                }
        return 0;
    }
}
