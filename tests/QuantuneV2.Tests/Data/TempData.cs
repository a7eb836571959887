using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Data;

namespace QuantuneV2.Tests.Data;

/// <summary>A temporary folder of hand-made dataset files (specs, raw bytes, .npy, PNG); deleted on dispose.</summary>
internal sealed class TempData : IDisposable
{
    public TempData() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "quantune-data-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes spec.json and loads it with an environment that holds only <paramref name="environment"/>.</summary>
    public Dataset Load(string json, params (string Name, string Value)[] environment)
    {
        var spec = Write("spec.json", json);
        return Dataset.Load(spec, name => environment.FirstOrDefault(e => e.Name == name).Value, Folder);
    }

    /// <summary>Asserts that loading <paramref name="json"/> fails with <paramref name="code"/> and a message naming <paramref name="file"/>.</summary>
    public QuantuneException LoadFails(string json, DiagnosticCode code, string file)
    {
        var e = Assert.Throws<QuantuneException>(() => Load(json));
        Assert.Equal(code, e.Code);
        Assert.Contains(file, e.Message);
        return e;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A .npy file (format version 1) with the header built by hand as numpy writes it.</summary>
    public static byte[] Npy(string descr, int[] shape, byte[] data, bool fortranOrder = false)
    {
        var tuple = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {tuple}, }}";
        // numpy pads the header with spaces and a newline so that the data starts on a 64-byte boundary.
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - 10 - 1) + "\n";
        var file = new byte[10 + header.Length + data.Length];
        file[0] = 0x93;
        "NUMPY"u8.CopyTo(file.AsSpan(1));
        file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(file, 10);
        data.CopyTo(file, 10 + header.Length);
        return file;
    }

    /// <summary>An 8-bit gray (1 channel) or RGB (3 channels) PNG, unfiltered rows.</summary>
    public static byte[] Png(int width, int height, int channels, byte[] pixels)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);
        Chunk(png, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);
                    z.Write(pixels, y * width * channels, width * channels);
                }
            }
            Chunk(png, "IDAT", raw.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(head, 4);
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. head.AsSpan(4), .. data]));
        s.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}
