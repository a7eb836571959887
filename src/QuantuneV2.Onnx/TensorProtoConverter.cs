using System.Runtime.InteropServices;
using Google.Protobuf;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Onnx;

/// <summary>ONNX TensorProto ⇄ <see cref="Tensor"/>: raw_data, typed fields and external data.</summary>
internal static class TensorProtoConverter
{
    /// <summary>Converts a TensorProto. <paramref name="external"/> resolves external data (null: external data is an error).</summary>
    public static Tensor ToTensor(TensorProto p, ExternalDataReader? external)
    {
        var type = (DataType)p.DataType;
        if (!DataTypes.IsSupported(type))
            throw Invalid(p, DiagnosticCode.UnsupportedDataType, $"has data type {type}; supported: float, double, uint8, int8, int32, int64, bool");
        var dims = new int[p.Dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            var d = p.Dims[i];
            if (d < 0) throw Invalid(p, DiagnosticCode.InvalidTensor, $"has negative dim {d}");
            if (d > Shape.MaxElements) throw Invalid(p, DiagnosticCode.InvalidTensor, $"has dim {d}, larger than a tensor may be");
            dims[i] = (int)d;
            count *= d;
            if (count > Shape.MaxElements) throw Invalid(p, DiagnosticCode.InvalidTensor, $"has {string.Join("x", p.Dims)} elements, more than a tensor may hold");
        }
        int n = (int)count;
        var size = DataTypes.ElementSize(type);

        if (p.DataLocation == TensorProto.Types.DataLocation.External)
        {
            if (external is null) throw Invalid(p, DiagnosticCode.ExternalData, "stores its data externally, which is not allowed here");
            return FromBytes(type, dims, n, external.Read(p, (long)n * size), p);
        }
        if (!p.RawData.IsEmpty)
        {
            if (p.RawData.Length != (long)n * size)
                throw Invalid(p, DiagnosticCode.InvalidTensor, $"raw_data has {p.RawData.Length} bytes, {n} {type} elements need {(long)n * size}");
            return FromBytes(type, dims, n, p.RawData.Span, p);
        }

        int available = type switch
        {
            DataType.Float => p.FloatData.Count,
            DataType.Double => p.DoubleData.Count,
            DataType.Int64 => p.Int64Data.Count,
            _ => p.Int32Data.Count,
        };
        // Check before allocating: dims alone must never make us allocate what the file does not hold.
        if (available != n)
            throw Invalid(p, DiagnosticCode.InvalidTensor, $"holds {available} values in its typed field, its dims need {n}");
        var data = DataTypes.NewArray(type, n);
        switch (data)
        {
            case float[] f: p.FloatData.CopyTo(f, 0); break;
            case double[] d: p.DoubleData.CopyTo(d, 0); break;
            case long[] l: p.Int64Data.CopyTo(l, 0); break;
            case int[] i: p.Int32Data.CopyTo(i, 0); break;
            case sbyte[] s: for (int k = 0; k < n; k++) s[k] = (sbyte)p.Int32Data[k]; break;
            case byte[] b: for (int k = 0; k < n; k++) b[k] = (byte)p.Int32Data[k]; break;
            case bool[] z: for (int k = 0; k < n; k++) z[k] = p.Int32Data[k] != 0; break;
        }
        return new Tensor(type, dims, data);
    }

    private static Tensor FromBytes(DataType type, int[] dims, int n, ReadOnlySpan<byte> bytes, TensorProto p)
    {
        var data = DataTypes.NewArray(type, n);
        if (data is bool[] z)
        {
            for (int k = 0; k < n; k++) z[k] = bytes[k] != 0;
        }
        else
        {
            if (!BitConverter.IsLittleEndian) throw Invalid(p, DiagnosticCode.InvalidTensor, "big-endian hosts are not supported");
            bytes.CopyTo(BytesOf(data));
        }
        return new Tensor(type, dims, data);
    }

    private static Span<byte> BytesOf(Array data) => data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        byte[] a => a,
        _ => throw new InvalidOperationException(),
    };

    public static TensorProto ToProto(string name, Tensor t)
    {
        var p = new TensorProto { Name = name, DataType = (int)t.DataType, RawData = ByteString.CopyFrom(t.AsBytes()) };
        foreach (var d in t.Dims) p.Dims.Add(d);
        return p;
    }

    private static QuantuneException Invalid(TensorProto p, DiagnosticCode code, string what) =>
        new(code, $"tensor '{p.Name}' {what}");
}
