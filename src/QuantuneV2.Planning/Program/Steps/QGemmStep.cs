using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QGemm → kernel QGemm: y[M, N] = requantize(bias + (x[M, K] − XZero)·w[N, K]ᵀ).</summary>
internal static class QGemmStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        var w = c.Dims(1);
        c.Int("M", x[0]).Int("K", x[1]).Int("N", w[0]).Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0));
        QuantizedOutputFields.Add(c);
        c.At("X", 0).OutputAt("Y").Weight("Weights", 1);
        if (c.HasInput(2)) c.Weight("Bias", 2);
        return c.Weight("Multiplier", 3).Step("QGemm");
    }
}
