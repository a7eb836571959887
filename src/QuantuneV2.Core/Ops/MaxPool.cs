using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

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
        return new MaxKernel(w, Planes(inDims), ctx.Int("storage_order", 0) != 0);
    }

    private sealed class MaxKernel(Window3d w, int planes, bool columnMajor) : Kernel
    {
        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            var indices = outputs.Length > 1 && outputs[1].Length > 0 ? outputs[1].Span<long>() : default;
            // Geometry in locals: the JIT cannot hoist array reads out of these loops by itself.
            int outZ = w.Out[0], outY = w.Out[1], outX = w.Out[2], inY = w.In[1], inX = w.In[2];
            int sz = w.S[0], sy = w.S[1], sx = w.S[2], dz = w.D[0], dy = w.D[1], dx = w.D[2];
            int pz = w.PadBegin[0], py = w.PadBegin[1], px = w.PadBegin[2];
            var tapsX = new (int First, int Last)[outX];
            for (int xx = 0; xx < outX; xx++) tapsX[xx] = w.ValidTaps(2, xx);
            for (int p = 0; p < planes; p++)
            {
                var plane = x.Slice(p * w.InPlane, w.InPlane);
                int o = p * w.OutPlane;
                for (int z = 0; z < outZ; z++)
                {
                    var (a0, a1) = w.ValidTaps(0, z);
                    for (int yy = 0; yy < outY; yy++)
                    {
                        var (b0, b1) = w.ValidTaps(1, yy);
                        for (int xx = 0; xx < outX; xx++, o++)
                        {
                            var (c0, c1) = tapsX[xx];
                            float best = float.NegativeInfinity;
                            int bestAt = -1;
                            for (int a = a0; a < a1; a++)
                            {
                                int iz = z * sz - pz + a * dz;
                                for (int b = b0; b < b1; b++)
                                {
                                    int row = (iz * inY + yy * sy - py + b * dy) * inX + xx * sx - px;
                                    for (int c = c0; c < c1; c++)
                                    {
                                        int at = row + c * dx;
                                        float v = plane[at];
                                        if (v > best || bestAt < 0) { best = v; bestAt = at; }
                                    }
                                }
                            }
                            y[o] = best;
                            if (!indices.IsEmpty) indices[o] = (long)p * w.InPlane + (columnMajor ? ColumnMajor(bestAt) : bestAt);
                        }
                    }
                }
            }
        }

        private int ColumnMajor(int at)
        {
            int iz = at / (w.In[1] * w.In[2]), iy = at / w.In[2] % w.In[1], ix = at % w.In[2];
            return (ix * w.In[1] + iy) * w.In[0] + iz;
        }
    }
}
