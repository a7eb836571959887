using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// One image at 224×224 on one thread: the generated classes (all-int8, the mixed plan QuantuneV2 chose, every layer
/// fp32) against ONNX Runtime 1.31.1 (CPU, all graph optimizations) running the fp32 model and the all-int8 plan's QDQ
/// export, in the same process. Ratios are against ORT fp32.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(InProcessConfig))]
public class GeneratedModelBenchmarks : OrtComparison
{
    private (BenchmarkModels.Infer Int8, BenchmarkModels.Infer Mixed, BenchmarkModels.Infer Fp32, int Outputs) _generated;

    [Params("resnet18", "resnet50", "mobilenetv2", "squeezenet")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _generated = BenchmarkModels.Classes[Model];
        SetUp(Model, _generated.Outputs);
    }

    [Benchmark(Description = "generated all-int8")]
    public float GeneratedInt8() => Run(_generated.Int8);

    [Benchmark(Description = "generated mixed")]
    public float GeneratedMixed() => Run(_generated.Mixed);

    [Benchmark(Description = "generated fp32")]
    public float GeneratedFp32() => Run(_generated.Fp32);
}
