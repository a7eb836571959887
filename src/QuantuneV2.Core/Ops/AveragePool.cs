using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>AveragePool; count_include_pad decides whether pad positions count in the divisor.</summary>
public sealed class AveragePool : PoolBase
{
    public override string OpType => "AveragePool";

    protected override bool DilationsAllowed(long opset) => opset >= 19;

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var w = new Window3d(Geometry(ctx, inDims.Length - 2), inDims, ctx.OutputDims(0));
        bool includePad = ctx.Int("count_include_pad", 0) != 0;
        int planes = Planes(inDims);
        return new DelegateKernel((inputs, outputs) =>
        {
            var x = (float[])inputs[0]!.Data;
            var y = (float[])outputs[0].Data;
            ForEachWindow(w, planes, (p, o, z, yy, xx) =>
            {
                float sum = 0;
                int inside = 0, padded = 0;
                for (int a = 0; a < w.K[0]; a++)
                {
                    int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0];
                    bool zIn = (uint)iz < (uint)w.In[0], zPad = iz < w.In[0] + w.PadEnd[0];
                    for (int b = 0; b < w.K[1]; b++)
                    {
                        int iy = yy * w.S[1] - w.PadBegin[1] + b * w.D[1];
                        bool yIn = (uint)iy < (uint)w.In[1], yPad = iy < w.In[1] + w.PadEnd[1];
                        for (int c = 0; c < w.K[2]; c++)
                        {
                            int ix = xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                            bool xIn = (uint)ix < (uint)w.In[2], xPad = ix < w.In[2] + w.PadEnd[2];
                            // Taps past the end padding (ceil mode) never count, not even with count_include_pad.
                            if (zPad && yPad && xPad) padded++;
                            if (!(zIn && yIn && xIn)) continue;
                            sum += x[p * w.InPlane + (iz * w.In[1] + iy) * w.In[2] + ix];
                            inside++;
                        }
                    }
                }
                y[p * w.OutPlane + o] = sum / (includePad ? padded : Math.Max(inside, 1));
            });
        });
    }
}
