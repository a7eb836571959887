using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Quantization;

/// <summary>Element access for uint8/int8 tensors as ints, for the obviously-correct reference kernels.</summary>
public static class QuantTensor
{
    public static int[] Read(Tensor t) => t.DataType switch
    {
        DataType.UInt8 => t.Span<byte>().ToArray().Select(v => (int)v).ToArray(),
        DataType.Int8 => t.Span<sbyte>().ToArray().Select(v => (int)v).ToArray(),
        _ => throw new ArgumentException($"{t} is not a uint8/int8 tensor"),
    };

    /// <summary>Stores an already saturated value.</summary>
    public static void Write(Tensor t, int index, int value)
    {
        if (t.DataType == DataType.UInt8) ((byte[])t.Data)[index] = checked((byte)value);
        else ((sbyte[])t.Data)[index] = checked((sbyte)value);
    }

    public static DataType DataTypeOf(QuantType type) => type == QuantType.UInt8 ? DataType.UInt8 : DataType.Int8;
}
