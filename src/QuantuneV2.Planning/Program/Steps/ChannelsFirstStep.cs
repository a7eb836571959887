using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// A reshape-like node (Flatten, Reshape, ...) whose input is stored channels-last with more than one channel and
/// pixel → kernel ChannelsFirst, a copy into row-major order (then the node's output is those bytes, as for any view).
/// </summary>
internal static class ChannelsFirstStep
{
    public static KernelStep Lower(StepContext c)
    {
        if (c.OutputReordered) throw c.Fail("a reshape into a channels-last int8 value of another shape has no generated kernel");
        var x = c.Dims(0);
        return c.Int("N", x[0]).Int("C", x[1]).Int("Plane", x[2] * x[3]).At("X", 0).OutputAt("Y").Step("ChannelsFirst");
    }
}
