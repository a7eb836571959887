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
        bool columnMajor = ctx.Int("storage_order", 0) != 0;
        int planes = Planes(inDims);
        return new DelegateKernel((inputs, outputs) =>
        {
            var reducer = new Max(w, (float[])outputs[0].Data, outputs.Length > 1 && outputs[1].Length > 0 ? (long[])outputs[1].Data : null, columnMajor);
            ForEachWindow(w, planes, inputs[0]!.Floats, ref reducer);
        });
    }

    private struct Max(Window3d w, float[] y, long[]? indices, bool columnMajor) : IWindowReducer
    {
        private float _best;
        private int _at;

        public void Start() { _best = float.NegativeInfinity; _at = -1; }

        public void Add(float value, int at)
        {
            if (value > _best || _at < 0) { _best = value; _at = at; }
        }

        public readonly void Finish(int plane, int o, int z, int y0, int x0, int taps)
        {
            y[o] = _best;
            if (indices is not null) indices[o] = (long)plane * w.InPlane + (columnMajor ? ColumnMajor(_at) : _at);
        }

        private readonly int ColumnMajor(int at)
        {
            int iz = at / (w.In[1] * w.In[2]), iy = at / w.In[2] % w.In[1], ix = at % w.In[2];
            return (ix * w.In[1] + iy) * w.In[0] + iz;
        }
    }
}
