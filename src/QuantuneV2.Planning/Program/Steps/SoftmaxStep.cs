using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// Softmax → kernel Softmax over Outer × Inner groups of Length values (stride Inner), resolved from the opset's
/// axis rule: before opset 13 everything after the axis is one group, from 13 the axis alone.
/// </summary>
internal static class SoftmaxStep
{
    public static KernelStep Lower(StepContext c)
    {
        var d = c.Dims(0);
        var a = c.Attributes;
        int axis = d.Length == 0 ? 0 : a.Axis(a.Int("axis", a.Opset < 13 ? 1 : -1), d.Length);
        long outer = d[..axis].Aggregate(1L, (n, v) => n * v);
        long length = a.Opset < 13 ? d[axis..].Aggregate(1L, (n, v) => n * v) : d.Length == 0 ? 1 : d[axis];
        long inner = a.Opset < 13 || d.Length == 0 ? 1 : d[(axis + 1)..].Aggregate(1L, (n, v) => n * v);
        return c.Int("Outer", outer).Int("Length", length).Int("Inner", inner).At("X", 0).OutputAt("Y").Step("Softmax");
    }
}
