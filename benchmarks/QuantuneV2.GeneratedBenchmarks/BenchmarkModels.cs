using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>What the benchmarks share: the generated classes per model, ONNX Runtime sessions on the same models, one image.</summary>
internal static class BenchmarkModels
{
    public delegate void Infer(ReadOnlySpan<float> input, Span<float> output);

    public static readonly Dictionary<string, (Infer Int8, Infer Mixed, Infer Fp32, int Outputs)> Classes = new()
    {
        ["resnet18"] = (Generated.resnet18_int8.Infer, Generated.resnet18_mixed.Infer, Generated.resnet18_fp32.Infer, Generated.resnet18_int8.OutputLength),
        ["resnet50"] = (Generated.resnet50_int8.Infer, Generated.resnet50_mixed.Infer, Generated.resnet50_fp32.Infer, Generated.resnet50_int8.OutputLength),
        ["mobilenetv2"] = (Generated.mobilenetv2_int8.Infer, Generated.mobilenetv2_mixed.Infer, Generated.mobilenetv2_fp32.Infer, Generated.mobilenetv2_int8.OutputLength),
        ["squeezenet"] = (Generated.squeezenet_int8.Infer, Generated.squeezenet_mixed.Infer, Generated.squeezenet_fp32.Infer, Generated.squeezenet_int8.OutputLength),
    };

    /// <summary>ORT 1.31.1 on the fp32 model or on the all-int8 plan's QDQ export, all graph optimizations, <paramref name="threads"/> intra-op threads.</summary>
    public static InferenceSession Ort(string model, bool int8, int threads)
    {
        string models = Metadata("Models");
        string path = int8 ? Path.Combine(models, model + ".qdq.onnx") : model == "squeezenet" ? Metadata("SqueezeNet") : Path.Combine(models, model + ".onnx");
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new InferenceSession(path, options);
    }

    /// <summary>A seeded image in [−1, 1), 1×3×224×224.</summary>
    public static float[] Image()
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    public static NamedOnnxValue[] OrtInput(InferenceSession session, float[] image) =>
        [NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), new DenseTensor<float>(image, [1, 3, 224, 224]))];

    public static float Run(InferenceSession session, NamedOnnxValue[] input)
    {
        using var r = session.Run(input);
        return r.First().AsTensor<float>().GetValue(0);
    }

    private static string Metadata(string key) =>
        typeof(BenchmarkModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
