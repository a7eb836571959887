using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QGlobalAveragePool → kernel QGlobalAveragePool over Planes planes of PlaneSize values.</summary>
internal static class QGlobalAveragePoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        c.Int("Planes", x[0] * x[1]).Int("PlaneSize", x[2..].Aggregate(1L, (n, d) => n * d))
            .Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0)).Float("Multiplier", c.Attributes.Float("multiplier", 0));
        QuantizedOutputFields.Add(c);
        return c.At("X", 0).OutputAt("Y").Step("QGlobalAveragePool");
    }
}
