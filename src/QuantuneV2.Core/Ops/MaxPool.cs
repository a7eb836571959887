using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>MaxPool, with the optional Indices output (flattened, row- or column-major per storage_order).</summary>
public sealed class MaxPool : PoolBase
{
    public override string OpType => "MaxPool";

    protected override bool DilationsAllowed(long opset) => opset >= 10;

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = new Window3d(Geometry(ctx, inDims.Length - 2), inDims, ctx.OutputDims(0));
        bool columnMajor = ctx.Int("storage_order", 0) != 0;
        int planes = Planes(inDims);
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = (float[])inputs[0]!.Data;
            var y = (float[])outputs[0].Data;
            var ind = outputs.Length > 1 ? outputs[1] : null;
            ForEachWindow(w, planes, (p, o, z, yy, xx) =>
            {
                float best = float.NegativeInfinity;
                int bestAt = -1;
                for (int a = 0; a < w.K[0]; a++)
                {
                    int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0];
                    if ((uint)iz >= (uint)w.In[0]) continue;
                    for (int b = 0; b < w.K[1]; b++)
                    {
                        int iy = yy * w.S[1] - w.PadBegin[1] + b * w.D[1];
                        if ((uint)iy >= (uint)w.In[1]) continue;
                        for (int c = 0; c < w.K[2]; c++)
                        {
                            int ix = xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                            if ((uint)ix >= (uint)w.In[2]) continue;
                            int at = (iz * w.In[1] + iy) * w.In[2] + ix;
                            float v = x[p * w.InPlane + at];
                            if (v > best || bestAt < 0) { best = v; bestAt = at; }
                        }
                    }
                }
                y[p * w.OutPlane + o] = best;
                if (ind is { Length: > 0 })
                {
                    int at = bestAt;
                    if (columnMajor)
                    {
                        int iz = at / (w.In[1] * w.In[2]), iy = at / w.In[2] % w.In[1], ix = at % w.In[2];
                        at = (ix * w.In[1] + iy) * w.In[0] + iz;
                    }
                    ind.Span<long>()[p * w.OutPlane + o] = (long)p * w.InPlane + at;
                }
            });
        });
    }
}
