using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QAveragePool (2-D) → kernel QAveragePool2d: the sum of each window's taps inside the input, requantized by its divisor's multiplier.</summary>
internal static class QAveragePoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        AveragePoolStep.AddWindow(c).Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0))
            .Floats("Multipliers", c.Attributes.Floats("multipliers") ?? throw c.Fail("multipliers is required"));
        QuantizedOutputFields.Add(c);
        return c.At("X", 0).OutputAt("Y").Step("QAveragePool2d");
    }
}
