using QuantuneV2.Core.Execution;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Generator;

/// <summary>
/// The generated class against the integer reference executor on the zoo's ImageNet-size models (224×224, all-int8,
/// synthetic calibration): the kernels' full-size paths (many channels, the 7×7 stem, depthwise layers, VGG's
/// flatten of a channels-last 512×7×7 value) give the same bits.
/// </summary>
public class GeneratedZooModelTests
{
    [Theory]
    [InlineData("mobilenetv2", 2)]
    [InlineData("squeezenet1.1", 2)]
    [InlineData("resnet18", 1)]
    [InlineData("vgg16", 1)]
    public void OutputsAreBitIdenticalToTheIntegerReferenceExecutor(string name, int images)
    {
        var folder = Directory.CreateTempSubdirectory("qv-zoo-");
        try
        {
            var path = Path.Combine(folder.FullName, name + ".onnx");
            ModelZoo.Save(name, path);
            var result = Planner.Run(path, null, new PlanOptions { Fp32Layers = "none" }, limit: 4);
            var weights = Path.Combine(folder.FullName, "weights");
            var files = ProgramFile.Create(result.Quantized, result.Plan, path);
            files.SaveWeights(weights);
            var infer = GeneratedModel.Build(files.Text, File.ReadAllBytes(weights)).Infer("Check.Net");
            var reference = new Session(result.Quantized.WithBatch(1));
            var x = ModelZoo.SyntheticImages(images, seed: 11);
            var y = new float[1000];
            for (int i = 0; i < images; i++)
            {
                var image = x.Floats.Slice(i * 3 * 224 * 224, 3 * 224 * 224).ToArray();
                infer(image, y);
                var expected = reference.Run(Core.IR.Tensor.FromFloats(image, 1, 3, 224, 224)).Floats.ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(y), $"{name} image {i} differs");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
