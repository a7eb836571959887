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
        var mean = new Mean(w, includePad);
        return new DelegateKernel((inputs, outputs) => ForEachWindow(w, planes, inputs[0]!.Floats, outputs[0].Floats, mean));
    }

    private readonly struct Mean(Window3d w, bool includePad) : IWindowReducer
    {
        public float Seed => 0f;
        public float Combine(float accumulator, float value) => accumulator + value;

        public float Finish(float accumulator, int z, int y, int x, int taps) =>
            accumulator / Math.Max(includePad ? PaddedTaps(0, z) * PaddedTaps(1, y) * PaddedTaps(2, x) : taps, 1);

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
