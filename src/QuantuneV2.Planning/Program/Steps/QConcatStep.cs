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
        // In memory order: a channel concatenation of channels-last values interleaves runs of channels per pixel.
        int axis = c.PhysicalOutputAxis(c.Attributes.Axis(c.Attributes.Int("axis", 0), c.OutputDims.Length));
        long outer = c.PhysicalDims(0)[..axis].Aggregate(1L, (n, d) => n * d);
        int inputs = c.Node.Inputs.Length;
        for (int i = 0; i < inputs; i++)
            if (c.InputType(i) != c.OutputType) throw c.Fail($"input {i} is {c.InputType(i)}, the output {c.OutputType}");
        c.Int("Outer", outer).Ints("Inner", Enumerable.Range(0, inputs).Select(i => c.PhysicalDims(i)[axis..].Aggregate(1L, (n, d) => n * d)))
            .Ints("Zeros", c.Attributes.Ints("input_zero_points") ?? throw c.Fail("input_zero_points is required"))
            .Floats("Multipliers", c.Attributes.Floats("input_multipliers") ?? throw c.Fail("input_multipliers is required"))
            .Signed("Signed", c.OutputType);
        QuantizedOutputFields.Add(c);
        return c.Ints("Xs", Enumerable.Range(0, inputs).Select(c.OffsetOf)).OutputAt("Y").Step("QConcat");
    }
}
