using QuantuneV2.Core.IR;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>Add (fp32) → kernel Add, for inputs of the output's shape.</summary>
internal static class AddStep
{
    public static KernelStep Lower(StepContext c)
    {
        if (c.OutputType != DataType.Float) throw c.Fail($"a generated Add is fp32, not {DataTypes.Name(c.OutputType)}");
        return AddOperands(c).OutputAt("Y").Step("Add");
    }

    /// <summary>Count, A and B: generated adds do not broadcast, so both inputs have the output's shape (and so its layout).</summary>
    internal static StepContext AddOperands(StepContext c)
    {
        var y = c.OutputDims;
        for (int i = 0; i < 2; i++)
            if (!c.Dims(i).SequenceEqual(y))
                throw c.Fail($"input {i} is [{string.Join(", ", c.Dims(i))}], the output [{string.Join(", ", y)}]: generated adds do not broadcast");
        return c.Int("Count", y.Aggregate(1L, (n, d) => n * d)).At("A", 0).At("B", 1);
    }
}
