namespace QuantuneV2.Planning.Program.Steps;

/// <summary>A fused fp32 epilogue (FusedConv, FusedGemm): Activation = None, Relu, Clip (ActMin, ActMax), LeakyRelu (ActAlpha) or HardSwish.</summary>
internal static class ActivationFields
{
    public static StepContext Add(StepContext c)
    {
        var kind = c.Attributes.String("activation", "");
        var p = c.Attributes.Floats("activation_params") ?? [];
        c.Int("Activation", kind switch
        {
            "" => 0,
            "Relu" => 1,
            "Clip" => 2,
            "LeakyRelu" => 3,
            "HardSwish" => 4,
            _ => throw c.Fail($"activation '{kind}' has no generated epilogue"),
        });
        return c.Floats("ActivationParams", p);
    }
}
