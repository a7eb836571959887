using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using QuantuneV2.Onnx.Proto;
using static QuantuneV2.Tests.Onnx.ProtoBuilder;

namespace QuantuneV2.Tests.Onnx;

/// <summary>load → save → load gives an identical graph; typed tensor fields and Constant nodes load as raw data does.</summary>
public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(RealModels.OrtAgreementTests.Models), MemberType = typeof(RealModels.OrtAgreementTests))]
    public void SavedModelsReloadIdentically(string relative)
    {
        var first = OnnxModel.Load(SharedData.Require(relative));
        var path = Path.Combine(Path.GetTempPath(), $"rt-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModel.Save(first, path);
            var second = OnnxModel.Load(path);
            Assert.Equal(first.Dump(), second.Dump());
            foreach (var kv in first.Initializers) Assert.True(kv.Value.ContentEquals(second.Initializers[kv.Key]), kv.Key);
            Assert.Equal(first.Model, second.Model with { OpsetImports = first.Model.OpsetImports, Metadata = first.Model.Metadata });
            Assert.Equal(first.Model.OpsetImports, second.Model.OpsetImports);
            Assert.Equal(OnnxModel.ToBytes(first), OnnxModel.ToBytes(second));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TypedFieldsAndConstantNodesLoad()
    {
        var shape = new TensorProto { Name = "shape", DataType = 7 };
        shape.Dims.Add(2);
        shape.Int64Data.AddRange([3, 2]);
        var bias = new TensorProto { Name = "bias", DataType = 6 };
        bias.Dims.Add(1);
        bias.Int32Data.Add(5);
        var constant = Node("Constant", [], ["k"], "k", new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Floats("", [1], 0.5f) });
        var model = Model(13,
        [
            constant,
            Node("Reshape", ["x", "shape"], ["r"]),
            Node("Mul", ["r", "k"], ["y"]),
        ], initializers: [shape, bias]);
        var graph = OnnxModel.Parse(model.Bytes(), "typed.onnx", null);
        Assert.Equal([3L, 2L], graph.Initializers["shape"].ToInt64Array());
        Assert.Equal([5L], graph.Initializers["bias"].ToInt64Array());
        Assert.Equal("f32[3,2]", graph.TypeOf("y").ToString());
        var y = new Session(graph).Run(Tensor.FromFloats([1, 2, 3, 4, 5, 6], 2, 3));
        Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3], y.ToFloatArray());
    }
}
