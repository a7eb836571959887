using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// The activation a fused op applies in its epilogue, stored as attributes "activation" (Relu, Clip,
/// LeakyRelu, HardSwish; absent = none) and "activation_params" (Clip: min, max; LeakyRelu: alpha).
/// </summary>
public static class FusedActivation
{
    public static Activation Read(NodeContext ctx)
    {
        var kind = ctx.String("activation", "");
        var p = ctx.Floats("activation_params") ?? [];
        return (kind, p.Length) switch
        {
            ("", 0) => Activation.None,
            ("Relu", 0) => Activation.Relu,
            ("Clip", 2) when p[0] <= p[1] => Activation.Clip(p[0], p[1]),
            ("LeakyRelu", 1) when float.IsFinite(p[0]) => Activation.LeakyRelu(p[0]),
            ("HardSwish", 0) => Activation.HardSwish,
            _ => throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"activation '{kind}' with {p.Length} parameters is not a supported epilogue"),
        };
    }

    /// <summary>
    /// Multiplies <paramref name="gradient"/> by the activation's derivative at each point, read off its
    /// output <paramref name="y"/> (the backward of an epilogue). A HardSwish output below 0 has two
    /// pre-images; the one above −1.5 is taken.
    /// </summary>
    public static void Derivative(Activation a, ReadOnlySpan<float> y, ReadOnlySpan<float> gradient, Span<float> result)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float v = y[i];
            float d = a.Kind switch
            {
                ActivationKind.None => 1f,
                ActivationKind.Relu => v > 0 ? 1f : 0f,
                ActivationKind.Clip => v > a.Min && v < a.Max ? 1f : 0f,
                ActivationKind.LeakyRelu => v > 0 ? 1f : a.Alpha,
                _ => v >= 3f ? 1f : v == 0f ? 0f : (2f * (-1.5f + MathF.Sqrt(Math.Max(2.25f + 6f * v, 0f))) + 3f) / 6f,
            };
            result[i] = d * gradient[i];
        }
    }

    public static IEnumerable<IR.Attribute> Attributes(Activation a) => a.Kind switch
    {
        ActivationKind.None => [],
        ActivationKind.Relu => [IR.Attribute.String("activation", "Relu")],
        ActivationKind.Clip => [IR.Attribute.String("activation", "Clip"), IR.Attribute.FloatList("activation_params", [a.Min, a.Max])],
        ActivationKind.LeakyRelu => [IR.Attribute.String("activation", "LeakyRelu"), IR.Attribute.FloatList("activation_params", [a.Alpha])],
        _ => [IR.Attribute.String("activation", "HardSwish")],
    };
}
