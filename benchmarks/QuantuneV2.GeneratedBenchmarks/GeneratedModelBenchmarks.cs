using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// One image at 224×224 on one thread: the generated classes (all-int8, the mixed plan QuantuneV2 chose, every layer
/// fp32) against ONNX Runtime 1.31.1 (CPU, all graph optimizations) running the fp32 model and the all-int8 plan's QDQ
/// export, in the same process. Ratios are against ORT fp32.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(InProcessJob))]
public class GeneratedModelBenchmarks
{
    /// <summary>In the build's own process: the generated classes come from this project's build, which BenchmarkDotNet's usual re-build of a wrapper project would redo.</summary>
    private sealed class InProcessJob : ManualConfig
    {
        public InProcessJob() => AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private delegate void Infer(ReadOnlySpan<float> input, Span<float> output);

    private static readonly Dictionary<string, (Infer Int8, Infer Mixed, Infer Fp32, int Outputs)> Classes = new()
    {
        ["resnet18"] = (Generated.resnet18_int8.Infer, Generated.resnet18_mixed.Infer, Generated.resnet18_fp32.Infer, Generated.resnet18_int8.OutputLength),
        ["resnet50"] = (Generated.resnet50_int8.Infer, Generated.resnet50_mixed.Infer, Generated.resnet50_fp32.Infer, Generated.resnet50_int8.OutputLength),
        ["mobilenetv2"] = (Generated.mobilenetv2_int8.Infer, Generated.mobilenetv2_mixed.Infer, Generated.mobilenetv2_fp32.Infer, Generated.mobilenetv2_int8.OutputLength),
        ["squeezenet"] = (Generated.squeezenet_int8.Infer, Generated.squeezenet_mixed.Infer, Generated.squeezenet_fp32.Infer, Generated.squeezenet_int8.OutputLength),
    };

    private InferenceSession _ortFp32 = null!, _ortInt8 = null!;
    private NamedOnnxValue[] _ortInput = null!;
    private float[] _image = [], _output = [];
    private (Infer Int8, Infer Mixed, Infer Fp32, int Outputs) _generated;

    [Params("resnet18", "resnet50", "mobilenetv2", "squeezenet")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string models = Metadata("Models");
        string fp32 = Model == "squeezenet" ? Metadata("SqueezeNet") : Path.Combine(models, Model + ".onnx");
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _ortFp32 = new InferenceSession(fp32, options);
        _ortInt8 = new InferenceSession(Path.Combine(models, Model + ".qdq.onnx"), options);
        var random = new Random(7);
        _image = [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        _ortInput = [NamedOnnxValue.CreateFromTensor(_ortFp32.InputMetadata.Keys.First(), new DenseTensor<float>(_image, [1, 3, 224, 224]))];
        _generated = Classes[Model];
        _output = new float[_generated.Outputs];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortFp32.Dispose();
        _ortInt8.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ORT fp32")]
    public float OrtFp32()
    {
        using var r = _ortFp32.Run(_ortInput);
        return r.First().AsTensor<float>().GetValue(0);
    }

    [Benchmark(Description = "ORT int8 (QDQ)")]
    public float OrtInt8()
    {
        using var r = _ortInt8.Run(_ortInput);
        return r.First().AsTensor<float>().GetValue(0);
    }

    [Benchmark(Description = "generated all-int8")]
    public float GeneratedInt8() => Run(_generated.Int8);

    [Benchmark(Description = "generated mixed")]
    public float GeneratedMixed() => Run(_generated.Mixed);

    [Benchmark(Description = "generated fp32")]
    public float GeneratedFp32() => Run(_generated.Fp32);

    private float Run(Infer infer)
    {
        infer(_image, _output);
        return _output[0];
    }

    private static string Metadata(string key) =>
        typeof(GeneratedModelBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
