using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// Scale/zero-point layout of QuantizeLinear and DequantizeLinear: one scalar (per tensor) or a 1-D
/// tensor along axis (per axis, opset ≥ 13). Block quantization (opset 21 block_size) is refused.
/// </summary>
internal static class QuantizationAxis
{
    public static void Check(InferenceContext ctx, Shape x)
    {
        var scale = ctx.InputShape(1);
        if (ctx.Int("block_size", 0) != 0) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "blocked quantization (block_size) is not supported");
        if (ctx.HasInput(2) && !ctx.InputShape(2).Equals(scale)) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"zero point {ctx.InputShape(2)} and scale {scale} differ in shape");
        if (scale.Rank == 0 || (scale.Rank == 1 && scale[0] is { IsKnown: true, Value: 1 } && ctx.Opset < 13)) return;
        if (scale.Rank != 1 || ctx.Opset < 13) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"scale {scale} must be a scalar{(ctx.Opset >= 13 ? " or 1-D" : "")}");
        int axis = ctx.Axis(ctx.Int("axis", 1), x.Rank);
        if (scale[0].IsKnown && x[axis].IsKnown && scale[0].Value != x[axis].Value)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"scale {scale} does not match axis {axis} of {x}");
    }

    /// <summary>(outer, channels, inner) such that element i uses scale index (i / inner) % channels.</summary>
    public static (int Channels, int Inner) Layout(NodeContext ctx, int[] x, int scaleLength)
    {
        if (scaleLength == 1 || x.Length == 0) return (1, Math.Max(1, x.Aggregate(1, (p, d) => p * d)));
        int axis = ctx.Axis(ctx.Int("axis", 1), x.Length);
        int inner = 1;
        for (int k = axis + 1; k < x.Length; k++) inner *= x[k];
        return (x[axis], inner);
    }
}
