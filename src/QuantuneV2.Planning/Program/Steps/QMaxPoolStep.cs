using QuantuneV2.Core.Ops;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QMaxPool (2-D) → kernel QMaxPool2d: the maximum of each window's taps inside the input (pads never win).</summary>
internal static class QMaxPoolStep
{
    public static KernelStep Lower(StepContext c) =>
        AddWindow(c).Signed("Signed", c.InputType(0)).At("X", 0).OutputAt("Y").Step("QMaxPool2d");

    /// <summary>The window as MaxPool reads it (QMaxPool keeps MaxPool's attributes).</summary>
    internal static StepContext AddWindow(StepContext c) =>
        Window2d.Add(c, new MaxPool().Geometry(c.Attributes, c.Dims(0).Length - 2), c.Dims(0), c.OutputDims);
}
