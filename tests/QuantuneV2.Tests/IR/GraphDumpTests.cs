using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using static QuantuneV2.Tests.Onnx.ProtoBuilder;

namespace QuantuneV2.Tests.IR;

public class GraphDumpTests
{
    [Fact]
    public void DumpIsStableText()
    {
        var model = Model(13,
        [
            Node("Conv", ["x", "w"], ["c"], "conv", new QuantuneV2.Onnx.Proto.AttributeProto { Name = "pads", Type = QuantuneV2.Onnx.Proto.AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } }),
            Node("Relu", ["c"], ["y"], "relu"),
        ], inputDims: [1, 1, 3, 3], initializers: [Floats("w", [2, 1, 3, 3], Enumerable.Repeat(0.5f, 18).ToArray())]);
        var graph = OnnxModel.Parse(model.Bytes(), "m.onnx", null);
        Assert.Equal("""
            graph "test" opset 13
            input x: f32[1,1,3,3]
            init w: f32[2,1,3,3]
            node "conv" Conv(x, w) -> (c: f32[1,2,3,3]) {pads=[1,1,1,1]}
            node "relu" Relu(c) -> (y: f32[1,2,3,3])
            output y: f32[1,2,3,3]

            """.Replace("\r\n", "\n"), graph.Dump());
    }

    [Theory]
    [InlineData("models/fmnist/resnet18.bn.onnx", "f32[N,10]", 701_178L, 34_800_000L)]
    [InlineData("models/fmnist/mobilenetv2.bn.onnx", "f32[N,10]", 700_202L, 27_700_000L)]
    [InlineData("models/fmnist/vgg16.bn.onnx", "f32[N,10]", 1_023_994L, 19_700_000L)]
    [InlineData("models/fmnist/squeezenet1.1.onnx", "f32[N,10]", 726_474L, 22_300_000L)]
    [InlineData("models/imagenet/squeezenet1.1.onnx", "f32[1,1000,1,1]", 1_235_496L, 349_200_000L)]
    public void SymbolicBatchAndCostsMatchThePublishedFigures(string relative, string output, long parameters, long approximateMacs)
    {
        var graph = OnnxModel.Load(SharedData.Require(relative));
        Assert.Equal(output, graph.Outputs[0].Type.ToString());
        Assert.Equal(parameters, graph.Nodes.Sum(n => LayerCost.Of(graph, n).Parameters));
        long macs = graph.Nodes.Sum(n => LayerCost.Of(graph, n).Macs);
        Assert.InRange(macs, approximateMacs - 50_000, approximateMacs + 50_000);
    }
}
