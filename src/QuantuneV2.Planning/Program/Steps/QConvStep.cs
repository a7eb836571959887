using QuantuneV2.Core.IR;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// QConv (2-D) → kernel QConv2d, with the optional residual Z (offset −1 when absent), and YStride when it writes
/// its channels inside an in-place Concat's output (<see cref="InPlaceConcats"/>). Groups of one and depthwise
/// layers get their weights packed (<see cref="PackedWeightFields"/>); other grouped ones, and the scalar depthwise
/// path, read the raw Weights (and Bias: none when absent).
/// </summary>
internal static class QConvStep
{
    public static KernelStep Lower(StepContext c)
    {
        var g = Window2d.AddConv(c);
        int xZero = (int)c.Attributes.Int("x_zero_point", 0);
        c.Int("XZero", xZero).Signed("XSigned", c.InputType(0));
        QuantizedOutputFields.Add(c);
        c.At("X", 0).OutputAt("Y");
        if (c.OutputPixelStride is { } stride) c.Int("YStride", stride);
        var layer = new QConv2d.Args
        {
            C = c.Dims(0)[1], OC = c.OutputDims[1], KH = g.Kernel[0], KW = g.Kernel[1], DW = g.Dilations[1], Group = (int)c.Attributes.Int("group", 1),
            XZero = xZero, XSigned = c.InputType(0) == DataType.Int8,
            Weights = PackedWeightFields.Values<sbyte>(c, 1), Bias = c.HasInput(2) ? PackedWeightFields.Values<int>(c, 2) : null,
            Multiplier = PackedWeightFields.Values<float>(c, 3),
        };
        bool packed = QConv2d.IsPacked(layer);
        if (packed) PackedWeightFields.Add(c, layer);
        if (!packed || QConv2d.IsDepthwise(layer)) c.Weight("Weights", 1);
        if (!packed && c.HasInput(2)) c.Weight("Bias", 2);
        c.Weight("Multiplier", 3);
        if (c.HasInput(4))
            c.At("Z", 4).Int("ZZero", c.Attributes.Int("z_zero_point", 0)).Signed("ZSigned", c.InputType(4)).Float("ZMultiplier", c.Attributes.Float("z_multiplier", 0));
        return c.Step("QConv2d");
    }
}
