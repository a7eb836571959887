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

    /// <summary>The activation over a whole span (for epilogues that run after a separate add).</summary>
    public static void ApplyInPlace(Activation a, Span<float> y)
    {
        switch (a.Kind)
        {
            case ActivationKind.Relu: System.Numerics.Tensors.TensorPrimitives.Max(y, 0f, y); break;
            case ActivationKind.Clip: System.Numerics.Tensors.TensorPrimitives.Clamp(y, a.Min, a.Max, y); break;
            case ActivationKind.LeakyRelu or ActivationKind.HardSwish: for (int i = 0; i < y.Length; i++) y[i] = a.Apply(y[i]); break;
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
