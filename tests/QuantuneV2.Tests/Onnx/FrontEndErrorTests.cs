using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Onnx;
using QuantuneV2.Onnx.Proto;
using static QuantuneV2.Tests.Onnx.ProtoBuilder;

namespace QuantuneV2.Tests.Onnx;

/// <summary>Every front-end failure is a QuantuneException with the right code, the file and (where there is one) the node.</summary>
public class FrontEndErrorTests
{
    private static QuantuneException Fails(ModelProto model) => Fails(model.Bytes());

    private static QuantuneException Fails(byte[] bytes) =>
        Assert.IsType<QuantuneException>(Record.Exception(() => OnnxModel.Parse(bytes, "bad.onnx", null)));

    [Fact]
    public void MissingFileIsUnreadable()
    {
        var e = Assert.Throws<QuantuneException>(() => OnnxModel.Load("/no/such/model.onnx"));
        Assert.Equal(DiagnosticCode.FileUnreadable, e.Code);
        Assert.Equal("/no/such/model.onnx", e.File);
        Assert.StartsWith("/no/such/model.onnx: error QV0001:", e.ToString());
    }

    [Fact]
    public void DirectoryIsUnreadable() => Assert.Equal(DiagnosticCode.FileUnreadable, Assert.Throws<QuantuneException>(() => OnnxModel.Load(Path.GetTempPath())).Code);

    [Fact]
    public void EmptyAndGarbageFilesAreCorrupt()
    {
        Assert.Equal(DiagnosticCode.CorruptModel, Fails([]).Code);
        Assert.Equal(DiagnosticCode.CorruptModel, Fails([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]).Code);
    }

    [Fact]
    public void NoGraphIsReported() => Assert.Equal(DiagnosticCode.MissingGraph, Fails(new ModelProto { IrVersion = 8 }).Code);

    [Fact]
    public void UnknownOpListsTheSupportedOps()
    {
        var e = Fails(Model(13, [Node("Einsum", ["x"], ["y"], "mix")]));
        Assert.Equal(DiagnosticCode.UnsupportedOp, e.Code);
        Assert.Equal("mix", e.NodeName);
        Assert.Equal("Einsum", e.OpType);
        Assert.Contains("Conv", e.Message);
        Assert.Contains("QuantizeLinear", e.Message);
        Assert.Equal("bad.onnx: error QV0010: node 'mix' (Einsum): " + e.Message, e.ToString());
    }

    [Fact]
    public void OtherDomainsAreUnsupported()
    {
        var n = Node("Normalizer", ["x"], ["y"], "norm");
        n.Domain = "ai.onnx.ml";
        Assert.Equal(DiagnosticCode.UnsupportedOp, Fails(Model(13, [n])).Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(22)]
    public void OpsetOutsideTheRangeIsRefused(long opset) => Assert.Equal(DiagnosticCode.UnsupportedOpset, Fails(Model(opset, [Node("Relu", ["x"], ["y"])])).Code);

    [Fact]
    public void OpOlderThanItsSupportedDefinitionIsRefused()
    {
        var e = Fails(Model(5, [Node("Relu", ["x"], ["y"], "r")]));
        Assert.Equal(DiagnosticCode.UnsupportedOpset, e.Code);
        Assert.Equal("r", e.NodeName);
    }

    [Fact]
    public void MissingInputNamesTheNode()
    {
        var e = Fails(Model(13, [Node("Add", ["x", "w"], ["y"], "add")]));
        Assert.Equal(DiagnosticCode.MissingValue, e.Code);
        Assert.Equal("add", e.NodeName);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void ShapeMismatchNamesTheNode()
    {
        var e = Fails(Model(13, [Node("Add", ["x", "w"], ["y"], "add")], initializers: [Floats("w", [4], 1, 2, 3, 4)]));
        Assert.Equal(DiagnosticCode.ShapeMismatch, e.Code);
        Assert.Equal("add", e.NodeName);
    }

    [Fact]
    public void DeclaredIntermediateShapesMustAgree()
    {
        var model = Model(13, [Node("Relu", ["x"], ["r"], "relu"), Node("Relu", ["r"], ["y"])]);
        model.Graph.ValueInfo.Add(Value("r", [2, 4]));
        var e = Fails(model);
        Assert.Equal(DiagnosticCode.ShapeMismatch, e.Code);
        Assert.Equal("relu", e.NodeName);
        Assert.Contains("'r' is declared [2,4] but computes [2,3]", e.Message);
        model.Graph.ValueInfo[0] = Value("r", [2, 3]);
        OnnxModel.Parse(model.Bytes(), "ok.onnx", null);
    }

    [Fact]
    public void CyclesAreFound()
    {
        var e = Fails(Model(13, [Node("Add", ["x", "b"], ["a"], "first"), Node("Relu", ["a"], ["b"], "second"), Node("Relu", ["b"], ["y"])]));
        Assert.Equal(DiagnosticCode.Cycle, e.Code);
    }

    [Fact]
    public void DanglingOutputIsReported()
    {
        var e = Fails(Model(13, [Node("Relu", ["x"], ["z"])], output: "y"));
        Assert.Equal(DiagnosticCode.DanglingOutput, e.Code);
        Assert.Contains("'y'", e.Message);
    }

    [Fact]
    public void DuplicateDefinitionsAreReported() =>
        Assert.Equal(DiagnosticCode.DuplicateValue, Fails(Model(13, [Node("Relu", ["x"], ["y"]), Node("Relu", ["x"], ["y"])])).Code);

    [Fact]
    public void TensorDataMustMatchDims()
    {
        var e = Fails(Model(13, [Node("Add", ["x", "w"], ["y"])], initializers: [Floats("w", [3], 1, 2)]));
        Assert.Equal(DiagnosticCode.InvalidTensor, e.Code);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void HugeDimsDoNotAllocate()
    {
        var w = Floats("w", [1L << 20, 1L << 20], 1);
        Assert.Equal(DiagnosticCode.InvalidTensor, Fails(Model(13, [Node("Add", ["x", "w"], ["y"])], initializers: [w])).Code);
    }

    [Fact]
    public void UnsupportedTensorTypeIsNamed()
    {
        var w = new TensorProto { Name = "w", DataType = 10 };
        w.Dims.Add(1);
        w.Int32Data.Add(0);
        var e = Fails(Model(13, [Node("Add", ["x", "w"], ["y"])], initializers: [w]));
        Assert.Equal(DiagnosticCode.UnsupportedDataType, e.Code);
        Assert.Contains("Float16", e.Message);
    }

    [Fact]
    public void ModelsOf2GiBOrMoreAreRefusedBeforeReading()
    {
        var path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var f = File.Create(path)) f.SetLength(OnnxModel.MaxModelBytes + 1); // sparse: no disk used
            var e = Assert.Throws<QuantuneException>(() => OnnxModel.Load(path));
            Assert.Equal(DiagnosticCode.ModelTooLarge, e.Code);
            Assert.Contains("2 GiB", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
