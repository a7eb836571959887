using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Execution;
using QuantuneV2.Data;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.RealModels;

/// <summary>
/// Whole test sets through our executor and through ONNX Runtime: per-sample outputs within 1e-4 of
/// the output's max |value|, argmax agreement ≥ 99.9%, and top-1 equal to REFERENCE.md within 0.05 points.
/// </summary>
public class AccuracyTests(ITestOutputHelper output)
{
    private const string FashionTest = "fashion-mnist-test.json";

    public static TheoryData<string, string, double> Cases() => new()
    {
        { "models/fmnist/resnet18.onnx", FashionTest, 0.9265 },
        { "models/fmnist/resnet18.bn.onnx", FashionTest, 0.9265 },
        { "models/fmnist/vgg16.onnx", FashionTest, 0.9156 },
        { "models/fmnist/vgg16.bn.onnx", FashionTest, 0.9156 },
        { "models/fmnist/mobilenetv2.onnx", FashionTest, 0.9176 },
        { "models/fmnist/mobilenetv2.bn.onnx", FashionTest, 0.9176 },
        { "models/fmnist/squeezenet1.1.onnx", FashionTest, 0.8884 },
        { "models/imagenet/squeezenet1.1.onnx", "imagenet-samples-all", 0.6060 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOnnxRuntimeAndReference(string model, string spec, double referenceTop1)
    {
        var path = SharedData.Require(model);
        var data = spec == FashionTest ? Dataset.Load(RepoPaths.SampleSpec(FashionTest)) : AllImageNetSamples();
        var graph = OnnxModel.Load(path);
        int n = data.Count, classes = 0;
        var ours = new float[n][];
        ParallelRunner.Run(graph, n, Environment.ProcessorCount, (i, t) => data.LoadInput(i, t.Floats), (i, o) => ours[i] = o[0].ToFloatArray());
        classes = ours[0].Length;

        using var ort = new OrtRunner(path);
        var theirs = new float[n][];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => theirs[i] = ort.Run(data.LoadInput(i)));

        int agree = 0, correct = 0, close = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(classes, theirs[i].Length);
            int a = TopK.ArgMax(ours[i]);
            if (a == TopK.ArgMax(theirs[i])) agree++;
            if (a == data.Label(i)) correct++;
            float maxAbs = theirs[i].Max(MathF.Abs), maxDiff = 0;
            for (int k = 0; k < classes; k++) maxDiff = MathF.Max(maxDiff, MathF.Abs(ours[i][k] - theirs[i][k]));
            if (maxDiff <= 1e-4f * maxAbs) close++;
        }
        double top1 = (double)correct / n;
        output.WriteLine($"{model}: top-1 {top1:F4} (reference {referenceTop1:F4}), argmax agreement with ORT {agree}/{n}, outputs within 1e-4: {close}/{n}");
        Assert.Equal(n, close);
        Assert.True(agree >= 0.999 * n, $"argmax agreement {agree}/{n} below 99.9%");
        Assert.True(Math.Abs(top1 - referenceTop1) <= 0.0005 + 1e-12, $"top-1 {top1:F4}, REFERENCE.md {referenceTop1:F4}");
    }

    // REFERENCE.md measures the ImageNet model on all 1000 images: the eval spec without its subset.
    private static Dataset AllImageNetSamples()
    {
        var text = File.ReadAllText(RepoPaths.SampleSpec("imagenet-samples-eval.json"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        json.Remove("subset");
        json["path"] = Path.Combine(SharedData.Require("data/imagenet-samples/images"));
        var file = Path.Combine(Path.GetTempPath(), $"imagenet-all-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json.ToJsonString());
        try
        {
            return Dataset.Load(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
