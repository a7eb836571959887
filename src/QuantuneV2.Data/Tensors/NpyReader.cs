using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Data.Tensors;

/// <summary>
/// NumPy <c>.npy</c> files (format versions 1 to 3): magic <c>\x93NUMPY</c>, version, header length, then a
/// Python dict literal <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 3), }</c> padded with
/// spaces, then the raw elements. Little-endian, C order; the element types our tensors can hold.
/// </summary>
internal static partial class NpyReader
{
    private static readonly Dictionary<string, DataType> Types = new(StringComparer.Ordinal)
    {
        ["<f4"] = DataType.Float,
        ["<f8"] = DataType.Double,
        ["|u1"] = DataType.UInt8,
        ["<u1"] = DataType.UInt8,
        ["|i1"] = DataType.Int8,
        ["<i1"] = DataType.Int8,
        ["<i4"] = DataType.Int32,
        ["<i8"] = DataType.Int64,
    };

    public static Tensor Read(string path) => Parse(DatasetErrors.ReadAllBytes(path), path);

    private static Tensor Parse(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < 10 || file[0] != 0x93 || !file[1..6].SequenceEqual("NUMPY"u8))
            throw DatasetErrors.Data(path, "is not a .npy file (no \\x93NUMPY magic)");
        int major = file[6];
        if (major is < 1 or > 3) throw DatasetErrors.Data(path, $"has .npy format version {major}.{file[7]}; versions 1 to 3 are supported");
        // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4.
        int lengthBytes = major == 1 ? 2 : 4;
        if (file.Length < 8 + lengthBytes) throw DatasetErrors.Data(path, "is truncated inside the .npy header");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(file[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        long dataStart = 8 + lengthBytes + headerLength;
        if (file.Length < dataStart) throw DatasetErrors.Data(path, "is truncated inside the .npy header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file[(8 + lengthBytes)..(int)dataStart]);

        var descr = Descr().Match(header);
        var order = FortranOrder().Match(header);
        var shape = ShapeTuple().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
            throw DatasetErrors.Data(path, $"has a .npy header without 'descr', 'fortran_order' and 'shape': {header.Trim()}");
        if (!Types.TryGetValue(descr.Groups[1].Value, out var type))
            throw DatasetErrors.Data(path, $"holds '{descr.Groups[1].Value}' elements; supported are little-endian {string.Join(", ", Types.Keys)}");
        if (order.Groups[1].Value == "True")
            throw DatasetErrors.Data(path, "is stored in Fortran order; save it in C order (numpy.ascontiguousarray)");

        var dims = ParseShape(shape.Groups[1].Value, path);
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
            if (count > Shape.MaxElements) throw DatasetErrors.Data(path, $"has shape ({string.Join(", ", dims)}): more elements than one tensor may hold");
        }
        long bytes = count * DataTypes.ElementSize(type);
        if (file.Length - dataStart < bytes)
            throw DatasetErrors.Data(path, $"is truncated: shape ({string.Join(", ", dims)}) of {descr.Groups[1].Value} needs {bytes} data bytes, the file has {file.Length - dataStart}");

        var data = DataTypes.NewArray(type, (int)count);
        // Element arrays are blittable: copy the little-endian bytes straight into them.
        file.Slice((int)dataStart, (int)bytes).CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), (int)bytes));
        return new Tensor(type, dims, data);
    }

    private static int[] ParseShape(string tuple, string path)
    {
        var parts = tuple.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            // numpy may write 3L on old Python 2 files.
            if (!int.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw DatasetErrors.Data(path, $"has a .npy shape '({tuple})' that is not a tuple of sizes");
        }
        return dims;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeTuple();
}
