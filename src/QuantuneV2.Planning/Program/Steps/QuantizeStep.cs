using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QuantizeLinear (per tensor) → kernel Quantize: y = saturate(round_half_even(x / Scale) + ZeroPoint), into channels-last order for a rank-4 output.</summary>
internal static class QuantizeStep
{
    public static KernelStep Lower(StepContext c) =>
        ScaleAndZero(c, c.OutputType).At("X", 0).OutputAt("Y").Int("Count", c.OutputDims.Aggregate(1L, (n, d) => n * d))
            .Int("Channels", c.OutputExtent.Channels).Int("Plane", c.OutputExtent.Plane).Step("Quantize");

    /// <summary>The (per-tensor) scale and zero point inputs 1 and 2, and the quantized side's type.</summary>
    internal static StepContext ScaleAndZero(StepContext c, Core.IR.DataType quantized)
    {
        var scale = c.Constant(1).Floats;
        if (scale.Length != 1) throw c.Fail($"a generated {c.Node.OpType} takes one scale, not {scale.Length} (per-axis)");
        long zero = c.HasInput(2) ? c.Constant(2).ToInt64Array().Single() : 0;
        return c.Float("Scale", scale[0]).Int("ZeroPoint", zero).Signed("Signed", quantized);
    }
}
