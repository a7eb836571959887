using QuantuneV2.Core.IR;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>QGemm → kernel QGemm: y[M, N] = requantize(bias + (x[M, K] − XZero)·w[N, K]ᵀ), a 1×1 convolution whose weights are packed here.</summary>
internal static class QGemmStep
{
    public static KernelStep Lower(StepContext c)
    {
        var x = c.Dims(0);
        var w = c.Dims(1);
        c.Int("M", x[0]).Int("K", x[1]).Int("N", w[0]).Int("XZero", c.Attributes.Int("x_zero_point", 0)).Signed("XSigned", c.InputType(0));
        QuantizedOutputFields.Add(c);
        c.At("X", 0).OutputAt("Y");
        PackedWeightFields.Add(c, new QConv2d.Args
        {
            C = x[1], OC = w[0], KH = 1, KW = 1, Group = 1, XZero = (int)c.Attributes.Int("x_zero_point", 0), XSigned = c.InputType(0) == DataType.Int8,
            Weights = PackedWeightFields.Values<sbyte>(c, 1), Bias = c.HasInput(2) ? PackedWeightFields.Values<int>(c, 2) : null,
            Multiplier = PackedWeightFields.Values<float>(c, 3),
        });
        return c.Weight("Multiplier", 3).Step("QGemm");
    }
}
