using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>DequantizeLinear (per tensor) → kernel Dequantize: y = float32(x − ZeroPoint) · Scale, from channels-last order for a rank-4 input.</summary>
internal static class DequantizeStep
{
    public static KernelStep Lower(StepContext c) =>
        QuantizeStep.ScaleAndZero(c, c.InputType(0)).At("X", 0).OutputAt("Y").Int("Count", c.OutputDims.Aggregate(1L, (n, d) => n * d))
            .Int("Channels", c.Extent(0).Channels).Int("Plane", c.Extent(0).Plane).Step("Dequantize");
}
