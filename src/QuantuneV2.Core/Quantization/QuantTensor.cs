using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Quantization;

/// <summary>Element access for uint8/int8 tensors as ints, for the obviously-correct reference kernels.</summary>
public static class QuantTensor
{
    public static int[] Read(Tensor t)
    {
        var r = new int[t.Length];
        switch (t.DataType)
        {
            case DataType.UInt8: { var q = t.Span<byte>(); for (int i = 0; i < r.Length; i++) r[i] = q[i]; break; }
            case DataType.Int8: { var q = t.Span<sbyte>(); for (int i = 0; i < r.Length; i++) r[i] = q[i]; break; }
            default: throw new ArgumentException($"{t} is not a uint8/int8 tensor");
        }
        return r;
    }

    /// <summary>Stores an already saturated value.</summary>
    public static void Write(Tensor t, int index, int value)
    {
        if (t.DataType == DataType.UInt8) ((byte[])t.Data)[index] = checked((byte)value);
        else ((sbyte[])t.Data)[index] = checked((sbyte)value);
    }

    /// <summary>A scalar uint8/int8 tensor (a zero point).</summary>
    public static Tensor Scalar(QuantType type, int value) => type == QuantType.UInt8
        ? new Tensor(DataType.UInt8, [], new[] { checked((byte)value) })
        : new Tensor(DataType.Int8, [], new[] { checked((sbyte)value) });

    public static DataType DataTypeOf(QuantType type) => type == QuantType.UInt8 ? DataType.UInt8 : DataType.Int8;
}
