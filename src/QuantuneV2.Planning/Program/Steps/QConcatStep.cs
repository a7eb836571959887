using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// QConcat → kernel QConcat: Outer blocks; in each, input i contributes Inner[i] values from Xs[i], requantized
/// with Zeros[i] and Multipliers[i] (an exact copy when they are the output's).
/// </summary>
internal static class QConcatStep
{
    public static KernelStep Lower(StepContext c)
    {
        ConcatStep.AddBlocks(c, 1)
            .Ints("Zeros", c.Attributes.Ints("input_zero_points") ?? throw c.Fail("input_zero_points is required"))
            .Floats("Multipliers", c.Attributes.Floats("input_multipliers") ?? throw c.Fail("input_multipliers is required"))
            .Signed("Signed", c.OutputType);
        QuantizedOutputFields.Add(c);
        return c.Ints("Xs", Enumerable.Range(0, c.Node.Inputs.Length).Select(c.OffsetOf)).OutputAt("Y").Step("QConcat");
    }
}
