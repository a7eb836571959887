using QuantuneV2.Core.Execution;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Generator;

/// <summary>
/// Average pools (with and without count_include_pad, so per-window divisors at the borders) and an add of two pools
/// (not fusable into a convolution), all-int8 and all-fp32: the generated class against the reference executor, bit for bit.
/// </summary>
public class GeneratedPoolAndAddTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("100%")]
    public void OutputsAreBitIdenticalToTheReferenceExecutor(string fp32Layers)
    {
        var folder = Directory.CreateTempSubdirectory("qv-pool-add-");
        try
        {
            var b = new GraphBuilder("pool-add", seed: 5);
            var x = b.Relu(b.Conv(b.Input, "conv1", 19, 3, stride: 4, pad: 1, bias: true), "relu1");
            var mean = b.AveragePool(x, "mean", 3, 1, pad: 1);
            var max = b.MaxPool(x, "max", 3, 1, pad: 1);
            var sum = b.Add(mean, max, "sum");
            var y = b.Relu(b.Conv(sum, "conv2", 16, 3, stride: 2, pad: 1, bias: true), "relu2");
            var padded = b.AveragePool(y, "padded", 3, 2, pad: 1, countIncludePad: true);
            var logits = b.Gemm(b.Flatten(b.GlobalAveragePool(padded, "gap"), "flatten"), "fc", 10, GraphBuilder.OutputName);
            var path = Path.Combine(folder.FullName, "model.onnx");
            OnnxModel.Save(b.ToGraph(logits), path);

            var result = Planner.Run(path, null, new PlanOptions { Fp32Layers = fp32Layers }, limit: 4);
            var files = ProgramFile.Create(result.Quantized, result.Plan, path);
            var program = files.Text;
            string q = fp32Layers == "none" ? "Q" : "";
            Assert.Equal(2, program.Split('\n').Count(l => l.StartsWith($"step Kernel={q}AveragePool2d ", StringComparison.Ordinal)));
            Assert.Single(program.Split('\n'), l => l.StartsWith($"step Kernel={q}Add ", StringComparison.Ordinal));
            var weights = Path.Combine(folder.FullName, "weights");
            files.SaveWeights(weights);
            var infer = GeneratedModel.Build(program, File.ReadAllBytes(weights)).Infer("Check.Net");
            var reference = new Session(result.Quantized.WithBatch(1));
            var images = ModelZoo.SyntheticImages(3, seed: 2);
            var output = new float[10];
            for (int i = 0; i < 3; i++)
            {
                var image = images.Floats.Slice(i * 3 * 224 * 224, 3 * 224 * 224).ToArray();
                infer(image, output);
                var expected = reference.Run(Core.IR.Tensor.FromFloats(image, 1, 3, 224, 224)).Floats.ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(output), $"image {i}: generated [{string.Join(", ", output)}], reference [{string.Join(", ", expected)}]");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
