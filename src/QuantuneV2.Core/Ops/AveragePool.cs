using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

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
        return new AverageKernel(w, Planes(inDims), ctx.Int("count_include_pad", 0) != 0);
    }

    private sealed class AverageKernel(Window3d w, int planes, bool includePad) : Kernel
    {
        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var x = inputs[0]!.Floats;
            var y = outputs[0].Floats;
            for (int p = 0; p < planes; p++)
            {
                var plane = x.Slice(p * w.InPlane, w.InPlane);
                int o = p * w.OutPlane;
                for (int z = 0; z < w.Out[0]; z++)
                {
                    var (a0, a1) = w.ValidTaps(0, z);
                    for (int yy = 0; yy < w.Out[1]; yy++)
                    {
                        var (b0, b1) = w.ValidTaps(1, yy);
                        for (int xx = 0; xx < w.Out[2]; xx++, o++)
                        {
                            var (c0, c1) = w.ValidTaps(2, xx);
                            float sum = 0;
                            for (int a = a0; a < a1; a++)
                            {
                                int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0];
                                for (int b = b0; b < b1; b++)
                                {
                                    int row = (iz * w.In[1] + yy * w.S[1] - w.PadBegin[1] + b * w.D[1]) * w.In[2] + xx * w.S[2] - w.PadBegin[2];
                                    for (int c = c0; c < c1; c++) sum += plane[row + c * w.D[2]];
                                }
                            }
                            int count = includePad ? PaddedTaps(0, z) * PaddedTaps(1, yy) * PaddedTaps(2, xx) : (a1 - a0) * (b1 - b0) * (c1 - c0);
                            y[o] = sum / Math.Max(count, 1);
                        }
                    }
                }
            }
        }

        // Taps inside input + pads; taps past the end padding (ceil mode) never count, as ONNX Runtime does.
        private int PaddedTaps(int a, int o)
        {
            int start = o * w.S[a] - w.PadBegin[a];
            int n = 0;
            for (int k = 0; k < w.K[a]; k++)
            {
                int i = start + k * w.D[a];
                if (i >= -w.PadBegin[a] && i < w.In[a] + w.PadEnd[a]) n++;
            }
            return n;
        }
    }
}
