using QuantuneV2.Core.Ops;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>The output fields every int8 kernel takes: YZero, YSigned, and the integer clamp [YMin, YMax] (a fused ReLU/Clip).</summary>
internal static class QuantizedOutputFields
{
    public static StepContext Add(StepContext c)
    {
        var o = QuantizedOutput.Read(c.Attributes);
        return c.Int("YZero", o.ZeroPoint).Signed("YSigned", c.OutputType).Int("YMin", o.Min).Int("YMax", o.Max);
    }
}
