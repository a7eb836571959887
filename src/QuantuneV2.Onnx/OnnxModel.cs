using Google.Protobuf;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Onnx;

/// <summary>Loading and saving ONNX model files. Every failure is a <see cref="QuantuneException"/> naming the file.</summary>
public static class OnnxModel
{
    /// <summary>Protobuf cannot represent a message of 2 GiB or more; larger models need external data.</summary>
    public const long MaxModelBytes = int.MaxValue;

    public static Graph Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new QuantuneException(DiagnosticCode.FileUnreadable, "the model file does not exist", path);
            if (info.Length >= MaxModelBytes)
                throw new QuantuneException(DiagnosticCode.ModelTooLarge, $"the model is {info.Length} bytes; models of 2 GiB or more are not supported (store weights as external data)", path);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantuneException(DiagnosticCode.FileUnreadable, $"cannot read the model: {e.Message}", path, inner: e);
        }
        return Parse(bytes, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses model bytes; <paramref name="directory"/> is where external data lives (null: external data refused).</summary>
    public static Graph Parse(ReadOnlySpan<byte> bytes, string fileName, string? directory)
    {
        try
        {
            if (bytes.Length == 0) throw new QuantuneException(DiagnosticCode.CorruptModel, "the file is empty, not an ONNX model");
            ModelProto proto;
            try
            {
                proto = ModelProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new QuantuneException(DiagnosticCode.CorruptModel, $"not a valid ONNX protobuf ({e.Message})");
            }
            return OnnxImporter.Import(proto, directory is null ? null : new ExternalDataReader(directory));
        }
        catch (QuantuneException e)
        {
            throw e.WithFile(fileName);
        }
    }

    /// <summary>Writes the model atomically: a temporary file in the same folder, then a rename.</summary>
    public static void Save(Graph graph, string path)
    {
        var proto = OnnxExporter.Export(graph);
        if (proto.CalculateSize() >= MaxModelBytes)
            throw new QuantuneException(DiagnosticCode.ModelTooLarge, "the model would be 2 GiB or more", path);
        AtomicFile.Write(path, s => proto.WriteTo(s));
    }

    public static byte[] ToBytes(Graph graph) => OnnxExporter.Export(graph).ToByteArray();

    /// <summary>Reads one serialized TensorProto (the .pb files of ONNX test data sets).</summary>
    public static Tensor ReadTensor(string path)
    {
        try
        {
            var proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
            return TensorProtoConverter.ToTensor(proto, new ExternalDataReader(Path.GetDirectoryName(Path.GetFullPath(path))!));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new QuantuneException(DiagnosticCode.CorruptModel, $"not a valid TensorProto ({e.Message})", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantuneException(DiagnosticCode.FileUnreadable, $"cannot read the tensor: {e.Message}", path, inner: e);
        }
        catch (QuantuneException e)
        {
            throw e.WithFile(path);
        }
    }

    /// <summary>Writes one TensorProto file atomically.</summary>
    public static void WriteTensor(string path, Tensor tensor, string name = "") =>
        AtomicFile.Write(path, s => TensorProtoConverter.ToProto(name, tensor).WriteTo(s));
}
