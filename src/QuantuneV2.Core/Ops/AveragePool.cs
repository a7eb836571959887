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
            accumulator / Math.Max(includePad ? w.PaddedTaps(z, y, x) : taps, 1);
    }
}
