using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Quantization;

/// <summary>Element access for uint8/int8 tensors as ints, for the obviously-correct reference kernels.</summary>
public static class QuantTensor
{
    public static int[] Read(Tensor t)
    {
        var r = new int[t.Length];
        Read(t, 0, r);
        return r;
    }

    /// <summary>Reads destination.Length elements from <paramref name="start"/> on, without allocating (kernels keep the buffer).</summary>
    public static void Read(Tensor t, int start, Span<int> destination)
    {
        switch (t.DataType)
        {
            case DataType.UInt8: { var q = t.Span<byte>().Slice(start, destination.Length); for (int i = 0; i < q.Length; i++) destination[i] = q[i]; break; }
            case DataType.Int8: { var q = t.Span<sbyte>().Slice(start, destination.Length); for (int i = 0; i < q.Length; i++) destination[i] = q[i]; break; }
            default: throw new ArgumentException($"{t} is not a uint8/int8 tensor");
        }
    }

    /// <summary>Stores an already saturated value.</summary>
    public static void Write(Tensor t, int index, int value)
    {
        if (t.DataType == DataType.UInt8) ((byte[])t.Data)[index] = checked((byte)value);
        else ((sbyte[])t.Data)[index] = checked((sbyte)value);
    }

    /// <summary>Stores already saturated values from <paramref name="start"/> on.</summary>
    public static void Write(Tensor t, int start, ReadOnlySpan<int> values)
    {
        if (t.DataType == DataType.UInt8) { var q = t.Span<byte>().Slice(start, values.Length); for (int i = 0; i < q.Length; i++) q[i] = checked((byte)values[i]); }
        else { var q = t.Span<sbyte>().Slice(start, values.Length); for (int i = 0; i < q.Length; i++) q[i] = checked((sbyte)values[i]); }
    }

    /// <summary>A scalar uint8/int8 tensor (a zero point).</summary>
    public static Tensor Scalar(QuantType type, int value) => type == QuantType.UInt8
        ? new Tensor(DataType.UInt8, [], new[] { checked((byte)value) })
        : new Tensor(DataType.Int8, [], new[] { checked((sbyte)value) });

    public static DataType DataTypeOf(QuantType type) => type == QuantType.UInt8 ? DataType.UInt8 : DataType.Int8;
}
