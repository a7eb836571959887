namespace QuantuneV2.Core.IR;

/// <summary>Element types, numbered as ONNX's TensorProto.DataType so that the importer maps them 1:1.</summary>
public enum DataType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
}

public static class DataTypes
{
    /// <summary>Types a tensor in our graphs may have (storage exists for them).</summary>
    public static bool IsSupported(DataType t) => t is DataType.Float or DataType.UInt8 or DataType.Int8 or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Double;

    public static string Name(DataType t) => t switch
    {
        DataType.Float => "f32",
        DataType.UInt8 => "u8",
        DataType.Int8 => "i8",
        DataType.Int32 => "i32",
        DataType.Int64 => "i64",
        DataType.Bool => "bool",
        DataType.Double => "f64",
        _ => t.ToString().ToLowerInvariant(),
    };

    public static int ElementSize(DataType t) => t switch
    {
        DataType.Float or DataType.Int32 or DataType.UInt32 => 4,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.Int16 or DataType.UInt16 or DataType.Float16 => 2,
        DataType.Int64 or DataType.UInt64 or DataType.Double => 8,
        _ => 0,
    };

    public static Type ElementType(DataType t) => t switch
    {
        DataType.Float => typeof(float),
        DataType.UInt8 => typeof(byte),
        DataType.Int8 => typeof(sbyte),
        DataType.Int32 => typeof(int),
        DataType.Int64 => typeof(long),
        DataType.Bool => typeof(bool),
        DataType.Double => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "no storage for this data type"),
    };

    public static Array NewArray(DataType t, int length) => t switch
    {
        DataType.Float => new float[length],
        DataType.UInt8 => new byte[length],
        DataType.Int8 => new sbyte[length],
        DataType.Int32 => new int[length],
        DataType.Int64 => new long[length],
        DataType.Bool => new bool[length],
        DataType.Double => new double[length],
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "no storage for this data type"),
    };
}
