using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QGlobalAveragePool → kernel QGlobalAveragePool (channels-last input: N images of PlaneSize pixels × C channels).</summary>
internal static class QGlobalAveragePoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        if (x.Length != 4) throw c.Fail($"generated kernels are 2-D; this input has rank {x.Length}");
        c.Int("N", x[0]).Int("C", x[1]).Int("PlaneSize", x[2] * x[3])
            .Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0)).Float("Multiplier", c.Attributes.Float("multiplier", 0));
        QuantizedOutputFields.Add(c);
        return c.At("X", 0).OutputAt("Y").Step("QGlobalAveragePool");
    }
}
