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
            var reducer = new Mean(w, (float[])outputs[0].Data, includePad);
            ForEachWindow(w, planes, inputs[0]!.Floats, ref reducer);
        });
    }

    private struct Mean(Window3d w, float[] y, bool includePad) : IWindowReducer
    {
        private float _sum;

        public void Start() => _sum = 0;

        public void Add(float value, int at) => _sum += value;

        public readonly void Finish(int plane, int o, int z, int y0, int x0, int taps)
        {
            int count = includePad ? PaddedTaps(0, z) * PaddedTaps(1, y0) * PaddedTaps(2, x0) : taps;
            y[o] = _sum / Math.Max(count, 1);
        }

        // Taps inside input + pads; taps past the end padding (ceil mode) never count, as ONNX Runtime does.
        private readonly int PaddedTaps(int a, int o)
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
