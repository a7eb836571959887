using QuantuneV2.Core.IR;
using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>
/// The weights of a layer on the packed int8 path, packed here at build time for the target architectures' kernels
/// (<see cref="QConv2d.Pack"/>), so the generated code loads them ready: PackedWeights, FoldedBias, SignedFoldedBias and
/// the depthwise layouts, each only when it has something.
/// </summary>
internal static class PackedWeightFields
{
    /// <param name="layer">The layer's shape, zero points and raw Weights, Bias and Multiplier.</param>
    public static StepContext Add(StepContext c, QConv2d.Args layer)
    {
        var l = QConv2d.Pack(layer, c.Architectures);
        return c.Packed("PackedWeights", l.Weights, DataType.Int8)
            .Packed("FoldedBias", l.Bias, DataType.Int32).Packed("SignedFoldedBias", l.SignedBias, DataType.Int32)
            .Packed("PairWeights", l.PairWeights, DataType.Int16).Packed("WidePairWeights", l.WidePairWeights, DataType.Int16)
            .Packed("TapWeights", l.TapWeights, DataType.Int16);
    }

    /// <summary>A constant input's values (int8 weights, int32 biases, float multipliers).</summary>
    public static T[] Values<T>(StepContext c, int input) => (T[])c.Constant(input).Data;
}
