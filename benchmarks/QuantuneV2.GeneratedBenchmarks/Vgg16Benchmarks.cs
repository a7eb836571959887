using BenchmarkDotNet.Attributes;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// The zoo VGG16-BN at 224×224 on one thread, all-int8 only (the build makes no other plan of it): the generated class
/// against ONNX Runtime running the fp32 model and the QDQ export. Ratios are against ORT fp32.
/// </summary>
[Config(typeof(InProcessConfig))]
public class Vgg16Benchmarks : OrtComparison
{
    [GlobalSetup]
    public void Setup() => SetUp("vgg16", Generated.vgg16_int8.OutputLength);

    [Benchmark(Description = "generated all-int8")]
    public float GeneratedInt8() => Run(Generated.vgg16_int8.Infer);
}
