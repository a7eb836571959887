using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Data;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;

namespace QuantuneV2.Tests.Generator;

/// <summary>The generated class against the integer reference executor, on the shared models: the same bits out.</summary>
public class GeneratedModelTests
{
    public static TheoryData<string, string, string> Plans() => new()
    {
        { "models/fmnist/resnet18.bn.onnx", "fashion-mnist-test.json", "3" },
        { "models/fmnist/resnet18.bn.onnx", "fashion-mnist-test.json", "none" },
        { "models/fmnist/mobilenetv2.bn.onnx", "fashion-mnist-test.json", "50%" },
        { "models/fmnist/squeezenet1.1.onnx", "fashion-mnist-test.json", "none" },
        { "models/fmnist/vgg16.bn.onnx", "fashion-mnist-test.json", "2" },
        // Every layer fp32: MaxPool and Concat run as fp32 steps.
        { "models/fmnist/squeezenet1.1.onnx", "fashion-mnist-test.json", "100%" },
        { "models/fmnist/resnet18.bn.onnx", "fashion-mnist-test.json", "100%" },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void OutputsAreBitIdenticalToTheIntegerReferenceExecutor(string model, string data, string fp32Layers)
    {
        var path = SharedData.Require(model);
        var result = Planner.Run(path, Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-calib.json")), new PlanOptions { Fp32Layers = fp32Layers }, limit: 32);
        var weights = Path.GetTempFileName();
        try
        {
            var files = ProgramFile.Create(result.Quantized, result.Plan, path);
            files.SaveWeights(weights);
            var generated = GeneratedModel.Build(files.Text, File.ReadAllBytes(weights));
            var infer = generated.Infer("Check.Net");
            var reference = new Session(result.Quantized.WithBatch(1));
            var images = Dataset.Load(RepoPaths.SampleSpec(data));
            var y = new float[10];
            for (int i = 0; i < 40; i++)
            {
                var x = images.LoadInput(i);
                infer(x.Floats.ToArray(), y);
                var expected = reference.Run(x).Floats.ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(y), $"image {i}: generated [{string.Join(", ", y)}], reference [{string.Join(", ", expected)}]");
            }
        }
        finally
        {
            File.Delete(weights);
        }
    }
}
