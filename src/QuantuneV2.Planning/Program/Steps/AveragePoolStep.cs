using QuantuneV2.Core.Ops;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>AveragePool (2-D, fp32) → kernel AveragePool2d.</summary>
internal static class AveragePoolStep
{
    public static KernelStep Lower(StepContext c) => AddWindow(c).At("X", 0).OutputAt("Y").Step("AveragePool2d");

    /// <summary>The window as AveragePool reads it (QAveragePool keeps its attributes), with the end pads and count_include_pad its divisor needs.</summary>
    internal static StepContext AddWindow(StepContext c)
    {
        var x = c.Dims(0);
        var g = new AveragePool().Geometry(c.Attributes, x.Length - 2);
        return Window2d.Add(c, g, x, c.OutputDims).Int("PadBottom", g.Pads(0, x[2]).End).Int("PadRight", g.Pads(1, x[3]).End)
            .Bool("CountIncludePad", c.Attributes.Int("count_include_pad", 0) != 0);
    }
}
