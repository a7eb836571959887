using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;
using QuantuneV2.Tests.Planning;

namespace QuantuneV2.Tests.Sensitivity;

public class BlocksTests(ITestOutputHelper output)
{
    private static IReadOnlyList<IReadOnlyList<string>> BlocksOf(string model)
    {
        var fused = PassPipeline.Run(OnnxModel.Load(SharedData.Require(model)), new PassLog());
        var layers = fused.Nodes.Where(n => Quantizer.IsQuantizable(fused, n)).Select(n => n.DisplayName).ToList();
        var blocks = Blocks.Find(fused, layers);
        Assert.Equal(layers, blocks.SelectMany(b => b));
        return blocks;
    }

    [Fact]
    public void ResidualBlocksEndAtTheirResidualConvolution()
    {
        var blocks = BlocksOf("models/fmnist/resnet18.bn.onnx");
        foreach (var b in blocks) output.WriteLine(string.Join(" | ", b));
        Assert.Contains(blocks, b => b.SequenceEqual(["/layer1/layer1.1/conv1/Conv", "/layer1/layer1.1/conv2/Conv"]));
        Assert.Contains(blocks, b => b.SequenceEqual(["/layer2/layer2.0/conv1/Conv", "/layer2/layer2.0/conv2/Conv", "/layer2/layer2.0/downsample/downsample.0/Conv"])
            || b.SequenceEqual(["/layer2/layer2.0/conv1/Conv", "/layer2/layer2.0/downsample/downsample.0/Conv", "/layer2/layer2.0/conv2/Conv"]));
    }

    [Fact]
    public void FireModulesAreOneBlockAndChainsAreSingleLayers()
    {
        var fire = BlocksOf("models/fmnist/squeezenet1.1.onnx");
        foreach (var b in fire) output.WriteLine(string.Join(" | ", b));
        Assert.Contains(fire, b => b.Count == 4 && b[0].Contains("squeeze") && b[^1].Contains("Concat", StringComparison.OrdinalIgnoreCase));
        Assert.All(BlocksOf("models/fmnist/vgg16.bn.onnx"), b => Assert.True(b.Count <= 2, string.Join(" | ", b)));
    }

    [Theory]
    [InlineData("boundary-aware")]
    [InlineData("score")]
    public void BlockModeKeepsWholeBlocksFp32(string selection)
    {
        var result = PlanFixture.Plan(new PlanOptions { Fp32Layers = "2", BlockMode = true, Selection = selection });
        var fp32 = result.Plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => l.Name).ToHashSet();
        var blocks = Blocks.Find(result.Fused, result.Plan.Layers.Select(l => l.Name).ToList());
        var chosen = blocks.Where(b => b.Any(fp32.Contains)).ToList();
        Assert.Equal(2, chosen.Count);
        Assert.All(chosen, b => Assert.All(b, m => Assert.Contains(m, fp32)));
        Assert.Equal(fp32.Count, chosen.Sum(b => b.Count));
        Assert.All(result.Plan.Layers.Where(l => fp32.Contains(l.Name)), l => Assert.Contains("block rank", l.Reason));
    }
}
