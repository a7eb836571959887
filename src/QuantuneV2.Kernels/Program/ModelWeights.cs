using System.Buffers.Binary;
using System.Text;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The weights a generated class embeds (the tool's <c>WeightsFile</c>, "QVW1"), read once into typed arrays:
/// the kernel program refers to them by index (<c>#index:type</c> in docs/generator.md).
/// </summary>
public sealed class ModelWeights
{
    private readonly Array[] _tensors;

    private ModelWeights(Array[] tensors) => _tensors = tensors;

    /// <summary>Reads the blob; an <see cref="InvalidDataException"/> when it is not one.</summary>
    public static ModelWeights Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(4).AsSpan().SequenceEqual("QVW1"u8)) throw new InvalidDataException("not a QuantuneV2 weights blob (QVW1)");
        int count = r.ReadInt32();
        var tensors = new Array[count];
        for (int i = 0; i < count; i++)
        {
            r.ReadBytes(r.ReadInt32());  // name: for people reading the blob
            int type = r.ReadInt32();
            int rank = r.ReadInt32();
            for (int d = 0; d < rank; d++) r.ReadInt32();
            var bytes = r.ReadBytes(checked((int)r.ReadInt64()));
            tensors[i] = type switch
            {
                1 => Convert<float>(bytes),   // ONNX FLOAT
                3 => Convert<sbyte>(bytes),   // INT8
                2 => bytes,                   // UINT8
                5 => Convert<short>(bytes),   // INT16
                6 => Convert<int>(bytes),     // INT32
                _ => throw new InvalidDataException($"weight {i} has ONNX data type {type}, which no kernel takes"),
            };
        }
        return new ModelWeights(tensors);
    }

    public float[] Floats(int index) => (float[])_tensors[index];
    public sbyte[] SBytes(int index) => (sbyte[])_tensors[index];
    public int[] Ints(int index) => (int[])_tensors[index];
    public short[] Shorts(int index) => (short[])_tensors[index];

    private static T[] Convert<T>(byte[] bytes) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("weights are little-endian");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
