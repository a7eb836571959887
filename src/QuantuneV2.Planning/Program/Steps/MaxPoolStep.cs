using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>MaxPool (2-D, fp32, no Indices output) → kernel MaxPool2d.</summary>
internal static class MaxPoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        if (c.Node.Outputs.Length > 1 && c.Node.Outputs[1].Length > 0) throw c.Fail("a generated MaxPool has no Indices output");
        return QMaxPoolStep.AddWindow(c).At("X", 0).OutputAt("Y").Step("MaxPool2d");
    }
}
