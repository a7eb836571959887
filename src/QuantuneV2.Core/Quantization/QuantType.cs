namespace QuantuneV2.Core.Quantization;

/// <summary>The integer type of a quantized tensor, with its storable range.</summary>
public enum QuantType
{
    /// <summary>uint8, asymmetric (zero point in 0..255): the default for activations.</summary>
    UInt8,
    /// <summary>int8, symmetric (zero point 0): weights always, activations on request.</summary>
    Int8,
}

public static class QuantTypes
{
    public static int Min(this QuantType t) => t == QuantType.UInt8 ? 0 : -128;
    public static int Max(this QuantType t) => t == QuantType.UInt8 ? 255 : 127;
}
