using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// Multi-thread: one image per core (<see cref="Environment.ProcessorCount"/>), all at once. The generated classes run
/// one image per thread (their static Infer is thread-safe, a session per thread); ONNX Runtime gets both of its ways:
/// the images one after another with an intra-op thread per core, or concurrent runs of one single-threaded session.
/// The time is per batch of images; ratios are against ORT fp32 with intra-op threads.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(InProcessConfig))]
public class ThroughputBenchmarks
{
    private static readonly int Threads = Environment.ProcessorCount;

    private InferenceSession _ortFp32Wide = null!, _ortInt8Wide = null!, _ortFp32 = null!, _ortInt8 = null!;
    private NamedOnnxValue[] _ortInput = null!;
    private float[] _image = [];
    private float[][] _outputs = [];
    private (BenchmarkModels.Infer Int8, BenchmarkModels.Infer Mixed, BenchmarkModels.Infer Fp32, int Outputs) _generated;

    [Params("resnet18", "resnet50", "mobilenetv2", "squeezenet")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _ortFp32Wide = BenchmarkModels.Ort(Model, int8: false, Threads);
        _ortInt8Wide = BenchmarkModels.Ort(Model, int8: true, Threads);
        _ortFp32 = BenchmarkModels.Ort(Model, int8: false, threads: 1);
        _ortInt8 = BenchmarkModels.Ort(Model, int8: true, threads: 1);
        _image = BenchmarkModels.Image();
        _ortInput = BenchmarkModels.OrtInput(_ortFp32, _image);
        _generated = BenchmarkModels.Classes[Model];
        _outputs = [.. Enumerable.Range(0, Threads).Select(_ => new float[_generated.Outputs])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var s in new[] { _ortFp32Wide, _ortInt8Wide, _ortFp32, _ortInt8 }) s.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ORT fp32, intra-op threads")]
    public float OrtFp32Wide() => Sequential(_ortFp32Wide);

    [Benchmark(Description = "ORT fp32, concurrent runs")]
    public float OrtFp32Concurrent() => Concurrent(_ortFp32);

    [Benchmark(Description = "ORT int8 (QDQ), intra-op threads")]
    public float OrtInt8Wide() => Sequential(_ortInt8Wide);

    [Benchmark(Description = "ORT int8 (QDQ), concurrent runs")]
    public float OrtInt8Concurrent() => Concurrent(_ortInt8);

    [Benchmark(Description = "generated all-int8, a thread per image")]
    public float GeneratedInt8() => Concurrent(_generated.Int8);

    [Benchmark(Description = "generated mixed, a thread per image")]
    public float GeneratedMixed() => Concurrent(_generated.Mixed);

    private float Sequential(InferenceSession session)
    {
        float sum = 0;
        for (int i = 0; i < Threads; i++) sum += BenchmarkModels.Run(session, _ortInput);
        return sum;
    }

    private float Concurrent(InferenceSession session)
    {
        var results = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => results[i] = BenchmarkModels.Run(session, _ortInput));
        return results.Sum();
    }

    private float Concurrent(BenchmarkModels.Infer infer)
    {
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => infer(_image, _outputs[i]));
        return _outputs.Sum(o => o[0]);
    }
}
