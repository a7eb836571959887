using QuantuneV2.Core.IR;

namespace QuantuneV2.Data.Tensors;

/// <summary>
/// Reads one tensor from a file, choosing the format by the file extension. This table is the one
/// place a tensor file format is registered: the <c>tensors</c> dataset kind takes its default file
/// filter from it, so a new format is one entry here.
/// </summary>
public static class TensorFileReader
{
    private static readonly Dictionary<string, Func<string, Tensor>> Readers = new(StringComparer.OrdinalIgnoreCase)
    {
        [".npy"] = NpyReader.Read,
        [".pb"] = ReadTensorProto,
    };

    // ONNX TensorProto files (the format of ONNX test data sets); front-end errors become data errors.
    private static Tensor ReadTensorProto(string path)
    {
        try
        {
            return Onnx.OnnxModel.ReadTensor(path);
        }
        catch (Core.Diagnostics.QuantuneException e) when (e.Code != Core.Diagnostics.DiagnosticCode.DatasetData)
        {
            throw DatasetErrors.Data(path, e.Message, e);
        }
    }

    /// <summary>The extensions <see cref="Read"/> understands, with the dot (".npy").</summary>
    public static IReadOnlyCollection<string> Extensions => Readers.Keys;

    /// <summary>The tensor in <paramref name="path"/>; a QuantuneException (QV0031) when the file is missing, corrupt or of an unknown type.</summary>
    public static Tensor Read(string path)
    {
        var extension = Path.GetExtension(path);
        if (!Readers.TryGetValue(extension, out var read))
            throw DatasetErrors.Data(path, $"has no tensor reader for '{extension}' files; supported: {string.Join(", ", Readers.Keys)}");
        return read(path);
    }
}
