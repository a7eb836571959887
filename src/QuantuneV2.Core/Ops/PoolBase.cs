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
}
