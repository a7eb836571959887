using QuantuneV2.Core.IR;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>Concat (fp32) → kernel Concat: Outer blocks; in each, input i contributes Inner[i] bytes from Xs[i].</summary>
internal static class ConcatStep
{
    public static KernelStep Lower(StepContext c)
    {
        if (c.OutputType != DataType.Float) throw c.Fail($"a generated Concat is fp32, not {DataTypes.Name(c.OutputType)}");
        return AddBlocks(c, sizeof(float)).Ints("Xs", Enumerable.Range(0, c.Node.Inputs.Length).Select(c.OffsetOf)).OutputAt("Y").Step("Concat");
    }

    /// <summary>Outer and Inner (in bytes of <paramref name="elementSize"/>-byte values) in memory order: a channel concatenation of channels-last values interleaves runs of channels per pixel.</summary>
    internal static StepContext AddBlocks(StepContext c, int elementSize)
    {
        int inputs = c.Node.Inputs.Length;
        for (int i = 0; i < inputs; i++)
            if (c.InputType(i) != c.OutputType) throw c.Fail($"input {i} is {DataTypes.Name(c.InputType(i))}, the output {DataTypes.Name(c.OutputType)}");
        int axis = c.PhysicalOutputAxis(c.Attributes.Axis(c.Attributes.Int("axis", 0), c.OutputDims.Length));
        long outer = c.PhysicalDims(0)[..axis].Aggregate(1L, (n, d) => n * d);
        return c.Int("Outer", outer).Ints("Inner", Enumerable.Range(0, inputs).Select(i => c.PhysicalDims(i)[axis..].Aggregate((long)elementSize, (n, d) => n * d)));
    }
}
