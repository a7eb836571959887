using System.Text;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning;

/// <summary>
/// The binary weights of a quantized model, as the build embeds them next to its kernel program: the tensors the
/// program refers to (<see cref="Program.ProgramWeights"/>: int8 weights packed for the kernels, per-channel scales,
/// folded int32 biases, fp32 weights of fp32 layers), in program order. Little-endian: "QVW1", the tensor count
/// (int32), then per tensor its name (int32 byte length + UTF-8), ONNX data type (int32), rank (int32), dims (int32
/// each), byte length (int64) and raw bytes. Deterministic (same plan, same bytes) and written atomically.
/// </summary>
public static class WeightsFile
{
    public static ReadOnlySpan<byte> Magic => "QVW1"u8;

    public static void Save(IReadOnlyList<Program.ProgramWeight> weights, string path) => AtomicFile.Write(path, s =>
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(weights.Count);
        foreach (var tensor in weights)
        {
            var utf8 = Encoding.UTF8.GetBytes(tensor.Name);
            w.Write(utf8.Length);
            w.Write(utf8);
            w.Write((int)tensor.Type);
            w.Write(tensor.Dims.Length);
            foreach (var d in tensor.Dims) w.Write(d);
            w.Write((long)tensor.Bytes.Length);
            w.Write(tensor.Bytes);
        }
    });
}
