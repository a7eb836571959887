using System.Runtime.InteropServices;

namespace QuantuneV2.Core.IR;

/// <summary>
/// A dense tensor with static dims. The backing array may be longer than the element count
/// (the executor reuses buffers); only the first <see cref="Length"/> elements are the tensor.
/// </summary>
public sealed class Tensor
{
    public Tensor(DataType dataType, int[] dims, Array data)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"negative dim in [{string.Join(",", dims)}]", nameof(dims));
            count = checked(count * d);
        }
        if (data.Length < count) throw new ArgumentException($"data holds {data.Length} elements, shape [{string.Join(",", dims)}] needs {count}", nameof(data));
        if (DataTypes.NewArray(dataType, 0).GetType() != data.GetType()) throw new ArgumentException($"array {data.GetType().Name} does not hold {dataType}", nameof(data));
        DataType = dataType;
        Dims = dims;
        Data = data;
        Length = (int)count;
    }

    public static Tensor Zeros(DataType dataType, params int[] dims)
    {
        long count = 1;
        foreach (var d in dims) count = checked(count * d);
        return new Tensor(dataType, dims, DataTypes.NewArray(dataType, checked((int)count)));
    }

    public static Tensor FromFloats(float[] data, params int[] dims) => new(DataType.Float, dims, data);
    public static Tensor FromInt64s(long[] data, params int[] dims) => new(DataType.Int64, dims, data);

    public DataType DataType { get; }
    public int[] Dims { get; }
    public Array Data { get; }
    public int Length { get; }
    public int Rank => Dims.Length;

    public Shape Shape => Shape.Of(Dims);
    public TensorType Type => new(DataType, Shape);

    public Span<T> Span<T>() where T : unmanaged => new((T[])Data, 0, Length);

    public Span<float> Floats => Span<float>();

    /// <summary>The tensor as int64 values whatever its integer type (for shapes, axes, indices).</summary>
    public long[] ToInt64Array()
    {
        var r = new long[Length];
        switch (Data)
        {
            case long[] l: Array.Copy(l, r, Length); break;
            case int[] i: for (int k = 0; k < Length; k++) r[k] = i[k]; break;
            // The runtime lets a byte[] match an sbyte[] pattern (and back): the data type tells them apart.
            case sbyte[] s when DataType == DataType.Int8: for (int k = 0; k < Length; k++) r[k] = s[k]; break;
            case byte[] b: for (int k = 0; k < Length; k++) r[k] = b[k]; break;
            case bool[] z: for (int k = 0; k < Length; k++) r[k] = z[k] ? 1 : 0; break;
            default: throw new InvalidOperationException($"{DataType} tensor is not integral");
        }
        return r;
    }

    /// <summary>The tensor as float values whatever its numeric type.</summary>
    public float[] ToFloatArray()
    {
        var r = new float[Length];
        switch (Data)
        {
            case float[] f: Array.Copy(f, r, Length); break;
            case double[] d: for (int k = 0; k < Length; k++) r[k] = (float)d[k]; break;
            default: var l = ToInt64Array(); for (int k = 0; k < Length; k++) r[k] = l[k]; break;
        }
        return r;
    }

    /// <summary>Raw little-endian bytes of the elements (bool as one byte).</summary>
    public ReadOnlySpan<byte> AsBytes() => Data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        byte[] a => a.AsSpan(0, Length),
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        bool[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan(0, Length)),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>A copy whose backing array is exactly <see cref="Length"/> long.</summary>
    public Tensor Clone()
    {
        var a = DataTypes.NewArray(DataType, Length);
        Array.Copy(Data, a, Length);
        return new Tensor(DataType, (int[])Dims.Clone(), a);
    }

    /// <summary>Same elements under other dims (no copy).</summary>
    public Tensor Reshaped(int[] dims) => new(DataType, dims, Data);

    public bool ContentEquals(Tensor other) =>
        DataType == other.DataType && Dims.AsSpan().SequenceEqual(other.Dims) && AsBytes().SequenceEqual(other.AsBytes());

    public override string ToString() => $"{DataTypes.Name(DataType)}[{string.Join(",", Dims)}]";
}
