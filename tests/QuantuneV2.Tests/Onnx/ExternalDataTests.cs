using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using QuantuneV2.Onnx.Proto;
using static QuantuneV2.Tests.Onnx.ProtoBuilder;

namespace QuantuneV2.Tests.Onnx;

/// <summary>ONNX external data: location/offset/length next to the model, and locations that escape refused.</summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("quantune-ext-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteModel(string location, long offset = 8, long? length = 12)
    {
        var w = new TensorProto { Name = "w", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.Add(3);
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (length is { } l) w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var path = Path.Combine(_dir, "model.onnx");
        File.WriteAllBytes(path, Model(13, [Node("Add", ["x", "w"], ["y"])], inputDims: [3], initializers: [w]).Bytes());
        return path;
    }

    private void WriteData(string name)
    {
        var bytes = new byte[8].Concat(new[] { 1f, 2f, 3f }.SelectMany(BitConverter.GetBytes)).ToArray();
        File.WriteAllBytes(Path.Combine(_dir, name), bytes);
    }

    [Fact]
    public void ReadsTensorsAtTheirOffset()
    {
        WriteData("weights.bin");
        var graph = OnnxModel.Load(WriteModel("weights.bin"));
        Assert.Equal([1f, 2f, 3f], graph.Initializers["w"].ToFloatArray());
        var y = new Session(graph).Run(Tensor.FromFloats([10, 20, 30], 3));
        Assert.Equal([11f, 22f, 33f], y.ToFloatArray());
    }

    [Theory]
    [InlineData("../weights.bin")]
    [InlineData("sub/../../weights.bin")]
    [InlineData("/etc/passwd")]
    public void LocationsLeavingTheFolderAreRefused(string location)
    {
        var e = Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel(location)));
        Assert.Equal(DiagnosticCode.ExternalData, e.Code);
        Assert.EndsWith("model.onnx", e.File);
    }

    [Fact]
    public void SymlinksPointingOutAreRefused()
    {
        var outside = Directory.CreateTempSubdirectory("quantune-outside-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(outside, "weights.bin"), new byte[64]);
            File.CreateSymbolicLink(Path.Combine(_dir, "link.bin"), Path.Combine(outside, "weights.bin"));
            Directory.CreateSymbolicLink(Path.Combine(_dir, "linkdir"), outside);
            Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel("link.bin"))).Code);
            Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel("linkdir/weights.bin"))).Code);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void MissingFileWrongLengthAndShortFileAreRefused()
    {
        Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel("absent.bin"))).Code);
        WriteData("weights.bin");
        Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel("weights.bin", length: 8))).Code);
        Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Load(WriteModel("weights.bin", offset: 16))).Code);
    }

    [Fact]
    public void ParsedBytesWithoutAFolderRefuseExternalData()
    {
        var bytes = File.ReadAllBytes(WriteModel("weights.bin"));
        Assert.Equal(DiagnosticCode.ExternalData, Assert.Throws<QuantuneException>(() => OnnxModel.Parse(bytes, "m.onnx", null)).Code);
    }
}
