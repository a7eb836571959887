using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Onnx;

/// <summary>
/// Reads ONNX external data (location/offset/length relative to the model's folder). Locations
/// that leave the folder — "..", absolute paths, symlinks pointing out — are refused.
/// </summary>
internal sealed class ExternalDataReader(string modelDirectory)
{
    private readonly string _root = Path.GetFullPath(modelDirectory);

    public byte[] Read(TensorProto p, long expectedLength)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var kv in p.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset": offset = ParseLong(p, kv); break;
                case "length": length = ParseLong(p, kv); break;
            }
        }
        if (string.IsNullOrEmpty(location)) throw Fail(p, "has no external data location");
        if (Path.IsPathRooted(location) || location.Split('/', '\\').Contains(".."))
            throw Fail(p, $"external data location '{location}' leaves the model's folder");
        var path = Path.GetFullPath(Path.Combine(_root, location));
        var real = RealPath(path);
        if (!real.StartsWith(RealPath(_root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Fail(p, $"external data location '{location}' resolves outside the model's folder");
        if (!File.Exists(real)) throw Fail(p, $"external data file '{location}' does not exist");
        if (length >= 0 && length != expectedLength) throw Fail(p, $"external data length {length} does not match the {expectedLength} bytes its dims need");
        using var f = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (offset < 0 || offset + expectedLength > f.Length)
            throw Fail(p, $"external data range {offset}+{expectedLength} exceeds '{location}' ({f.Length} bytes)");
        var buffer = new byte[expectedLength];
        f.Position = offset;
        f.ReadExactly(buffer);
        return buffer;
    }

    private static string RealPath(string path)
    {
        // Resolve every symlink on the way so a link inside the folder cannot point outside it.
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                var target = info.LinkTarget is not null ? info.ResolveLinkTarget(true) : new DirectoryInfo(current).LinkTarget is not null ? new DirectoryInfo(current).ResolveLinkTarget(true) : null;
                if (target is not null) current = Path.GetFullPath(target.FullName);
            }
        }
        return current;
    }

    private static long ParseLong(TensorProto p, Proto.StringStringEntryProto kv) =>
        long.TryParse(kv.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw Fail(p, $"external data {kv.Key} '{kv.Value}' is not a non-negative integer");

    private static QuantuneException Fail(TensorProto p, string what) => new(DiagnosticCode.ExternalData, $"tensor '{p.Name}' {what}");
}
