using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QConv (2-D) → kernel QConv2d, with the optional residual Z (offset −1 when absent) and bias (Bias=none).</summary>
internal static class QConvStep
{
    public static KernelStep Lower(StepContext c)
    {
        Window2d.AddConv(c);
        c.Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0));
        QuantizedOutputFields.Add(c);
        c.At("X", 0).OutputAt("Y").Weight("Weights", 1);
        if (c.HasInput(2)) c.Weight("Bias", 2);
        c.Weight("Multiplier", 3);
        if (c.HasInput(4))
            c.At("Z", 4).Int("ZZero", c.Attributes.Int("z_zero_point", 0)).Signed("ZSigned", c.InputType(4)).Float("ZMultiplier", c.Attributes.Float("z_multiplier", 0));
        return c.Step("QConv2d");
    }
}
