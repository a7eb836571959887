using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>GlobalAveragePool (fp32) → kernel GlobalAveragePool over Planes planes of PlaneSize values.</summary>
internal static class GlobalAveragePoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        return c.Int("Planes", x[0] * x[1]).Int("PlaneSize", x[2..].Aggregate(1L, (n, d) => n * d)).At("X", 0).OutputAt("Y").Step("GlobalAveragePool");
    }
}
