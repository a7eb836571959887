using QuantuneV2.Core.Ops;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>Softmax → kernel Softmax over Outer × Inner groups of Length values (stride Inner), as the op groups them at the model's opset.</summary>
internal static class SoftmaxStep
{
    public static KernelStep Lower(StepContext c)
    {
        var (outer, length, inner) = SoftmaxBase.Groups(c.Attributes, c.Dims(0));
        return c.Int("Outer", outer).Int("Length", length).Int("Inner", inner).At("X", 0).OutputAt("Y").Step("Softmax");
    }
}
