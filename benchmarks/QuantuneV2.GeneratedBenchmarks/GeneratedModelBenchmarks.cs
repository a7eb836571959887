using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// One image at 224×224 on one thread: the generated classes (all-int8, the mixed plan QuantuneV2 chose, every layer
/// fp32) against ONNX Runtime 1.31.1 (CPU, all graph optimizations) running the fp32 model and the all-int8 plan's QDQ
/// export, in the same process. Ratios are against ORT fp32.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(InProcessConfig))]
public class GeneratedModelBenchmarks
{
    private InferenceSession _ortFp32 = null!, _ortInt8 = null!;
    private NamedOnnxValue[] _ortInput = null!;
    private float[] _image = [], _output = [];
    private (BenchmarkModels.Infer Int8, BenchmarkModels.Infer Mixed, BenchmarkModels.Infer Fp32, int Outputs) _generated;

    [Params("resnet18", "resnet50", "mobilenetv2", "squeezenet")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _ortFp32 = BenchmarkModels.Ort(Model, int8: false, threads: 1);
        _ortInt8 = BenchmarkModels.Ort(Model, int8: true, threads: 1);
        _image = BenchmarkModels.Image();
        _ortInput = BenchmarkModels.OrtInput(_ortFp32, _image);
        _generated = BenchmarkModels.Classes[Model];
        _output = new float[_generated.Outputs];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortFp32.Dispose();
        _ortInt8.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ORT fp32")]
    public float OrtFp32() => BenchmarkModels.Run(_ortFp32, _ortInput);

    [Benchmark(Description = "ORT int8 (QDQ)")]
    public float OrtInt8() => BenchmarkModels.Run(_ortInt8, _ortInput);

    [Benchmark(Description = "generated all-int8")]
    public float GeneratedInt8() => Run(_generated.Int8);

    [Benchmark(Description = "generated mixed")]
    public float GeneratedMixed() => Run(_generated.Mixed);

    [Benchmark(Description = "generated fp32")]
    public float GeneratedFp32() => Run(_generated.Fp32);

    private float Run(BenchmarkModels.Infer infer)
    {
        infer(_image, _output);
        return _output[0];
    }
}
