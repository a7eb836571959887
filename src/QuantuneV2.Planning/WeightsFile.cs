using System.Text;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning;

/// <summary>
/// The binary weights of a quantized model, as the build embeds them next to the plan: every initializer of
/// the lowered graph (int8 weights, per-channel scales, int32 biases, fp32 weights of fp32 layers) in graph
/// order. Little-endian: "QVW1", the tensor count (int32), then per tensor its name (int32 byte length +
/// UTF-8), ONNX data type (int32), rank (int32), dims (int32 each), byte length (int64) and raw bytes.
/// Deterministic (same plan, same bytes) and written atomically.
/// </summary>
public static class WeightsFile
{
    public static ReadOnlySpan<byte> Magic => "QVW1"u8;

    public static void Save(Graph lowered, string path) => AtomicFile.Write(path, s =>
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(lowered.InitializerList.Length);
        foreach (var (name, tensor) in lowered.InitializerList)
        {
            var utf8 = Encoding.UTF8.GetBytes(name);
            w.Write(utf8.Length);
            w.Write(utf8);
            w.Write((int)tensor.DataType);
            w.Write(tensor.Rank);
            foreach (var d in tensor.Dims) w.Write(d);
            var bytes = tensor.AsBytes();
            w.Write((long)bytes.Length);
            w.Write(bytes);
        }
    });
}
