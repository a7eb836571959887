using QuantuneV2.Core.Ops;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QMaxPool (2-D) → kernel QMaxPool2d: the maximum of each window's taps inside the input (pads never win).</summary>
internal static class QMaxPoolStep
{
    public static KernelStep Lower(StepContext c)
    {
        // QMaxPool keeps MaxPool's attributes, so MaxPool reads its window.
        var g = new MaxPool().Geometry(c.Attributes, c.Dims(0).Length - 2);
        return Window2d.Add(c, g, c.Dims(0), c.OutputDims).Signed("Signed", c.InputType(0)).At("X", 0).OutputAt("Y").Step("QMaxPool2d");
    }
}
