using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QAdd (inputs of the output's shape) → kernel QAdd: both inputs rescaled to the output's scale, summed and requantized.</summary>
internal static class QAddStep
{
    public static KernelStep Lower(StepContext c)
    {
        AddStep.AddOperands(c)
            .Int("AZero", c.Attributes.Int("a_zero_point", 0)).Signed("ASigned", c.InputType(0)).Float("AMultiplier", c.Attributes.Float("a_multiplier", 0))
            .Int("BZero", c.Attributes.Int("b_zero_point", 0)).Signed("BSigned", c.InputType(1)).Float("BMultiplier", c.Attributes.Float("b_multiplier", 0));
        QuantizedOutputFields.Add(c);
        return c.OutputAt("Y").Step("QAdd");
    }
}
