using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// Conv and FusedConv (2-D, constant weights) → kernel Conv2d: y = act(conv(x) + bias [+ z]) in fp32, with the
/// same packed kernel the reference executor uses, so an fp32 layer computes the same bits in both.
/// </summary>
internal static class ConvStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        var g = Window2d.AddConv(c);
        c.Int("PadBottom", g.Pads(0, x[2]).End).Int("PadRight", g.Pads(1, x[3]).End);
        ActivationFields.Add(c);
        c.At("X", 0).OutputAt("Y").Weight("Weights", 1);
        if (c.HasInput(2)) c.Weight("Bias", 2);
        if (c.HasInput(3)) c.At("Z", 3);
        return c.Step("Conv2d");
    }
}
