using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>MaxPool and AveragePool over 1-D, 2-D or 3-D windows (NC + spatial dims).</summary>
public abstract class PoolBase : Op
{
    /// <summary>Whether dilations and ceil_mode exist for this op at this opset.</summary>
    protected abstract bool DilationsAllowed(long opset);

    /// <summary>The node's window, checked against this op's rules at the model's opset.</summary>
    public SpatialGeometry Geometry(NodeContext ctx, int spatialRank)
    {
        var k = ctx.Ints("kernel_shape") ?? throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'kernel_shape' is required");
        if (k.Length != spatialRank) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"kernel_shape has {k.Length} dims, the input has {spatialRank} spatial dims");
        if (!DilationsAllowed(ctx.Opset) && ctx.Node.HasAttribute("dilations")) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"dilations are not defined before opset {(OpType == "MaxPool" ? 10 : 19)}");
        if (spatialRank > 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, "at most 3 spatial dims are supported");
        return SpatialGeometry.Read(ctx, k.Select(v => (int)Math.Clamp(v, 0, int.MaxValue)).ToArray(), ctx.Opset >= 10);
    }

    internal Shape OutputShape(NodeContext ctx, Shape input) => Geometry(ctx, input.Rank - 2).OutputShape(ctx, input, input[1]);

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        ctx.RequireType(0, DataType.Float);
        var s = ctx.InputShape(0);
        if (s.Rank < 3) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {s} must be N x C x spatial");
        var outShape = OutputShape(ctx, s);
        ctx.SetOutput(0, DataType.Float, outShape);
        ctx.SetOutput(1, DataType.Int64, outShape);
    }

    protected static int Planes(int[] dims) => dims[0] * dims[1];

    /// <summary>Folds one window into a value; a struct so that the shared loop nest is specialised and the accumulator stays in a register.</summary>
    protected interface IWindowReducer
    {
        float Seed { get; }
        float Combine(float accumulator, float value);
        /// <summary>The output for a window at (z, y, x) whose clipped tap count is <paramref name="taps"/>.</summary>
        float Finish(float accumulator, int z, int y, int x, int taps);
    }

    /// <summary>The loop nest every pool shares: each output window, with tap ranges clipped to the input.</summary>
    protected static void ForEachWindow<TReducer>(Window3d w, int planes, ReadOnlySpan<float> input, Span<float> output, TReducer reducer) where TReducer : struct, IWindowReducer
    {
        // Geometry in locals: the JIT cannot hoist array reads out of these loops by itself.
        int outZ = w.Out[0], outY = w.Out[1], outX = w.Out[2], inY = w.In[1], inX = w.In[2];
        int sz = w.S[0], sy = w.S[1], sx = w.S[2], dz = w.D[0], dy = w.D[1], dx = w.D[2];
        int pz = w.PadBegin[0], py = w.PadBegin[1], px = w.PadBegin[2];
        Span<(int First, int Last)> tapsX = outX <= 512 ? stackalloc (int, int)[outX] : new (int, int)[outX];
        for (int xx = 0; xx < outX; xx++) tapsX[xx] = w.ValidTaps(2, xx);
        for (int p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * w.InPlane, w.InPlane);
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
                        float acc = reducer.Seed;
                        for (int a = a0; a < a1; a++)
                        {
                            int iz = z * sz - pz + a * dz;
                            for (int b = b0; b < b1; b++)
                            {
                                int row = (iz * inY + yy * sy - py + b * dy) * inX + xx * sx - px;
                                for (int c = c0; c < c1; c++) acc = reducer.Combine(acc, plane[row + c * dx]);
                            }
                        }
                        output[o] = reducer.Finish(acc, z, yy, xx, (a1 - a0) * (b1 - b0) * (c1 - c0));
                    }
                }
            }
        }
    }
}
