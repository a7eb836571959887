using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantuneV2.Core.Execution;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;
using Tensor = QuantuneV2.Core.IR.Tensor;

namespace QuantuneV2.Benchmarks;

/// <summary>
/// The fp32 reference executor against ONNX Runtime (CPU, all graph optimizations) on whole models at
/// 224x224, in the same process: one image on one thread (latency), and 8 images with every core
/// (ours runs one session per core, ORT uses intra-op threads). Ratios are against ORT in each category.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ModelBenchmarks
{
    private const int Images = 8;
    private Session _session = null!;
    private ParallelRunner _runner = null!;
    private InferenceSession _ort1 = null!, _ortAll = null!;
    private Tensor _image = null!;
    private NamedOnnxValue[] _ortInput = null!;
    private string? _temporary;

    [Params("imagenet-squeezenet1.1", "zoo-resnet18")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string path;
        if (Model == "zoo-resnet18")
        {
            path = _temporary = Path.Combine(Path.GetTempPath(), $"bench-resnet18-{Environment.ProcessId}.onnx");
            ModelZoo.Save("resnet18", path);
        }
        else path = Path.Combine(SharedFolder(), "models", "imagenet", "squeezenet1.1.onnx");
        var graph = OnnxModel.Load(path);
        _session = new Session(graph.WithBatch(1));
        _runner = new ParallelRunner(graph, Environment.ProcessorCount);
        _image = ModelZoo.SyntheticImages(1, seed: 3);
        _ort1 = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
        _ortAll = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
        var name = _ort1.InputMetadata.Keys.First();
        _ortInput = [NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(_image.ToFloatArray(), _image.Dims))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort1.Dispose();
        _ortAll.Dispose();
        if (_temporary is not null) File.Delete(_temporary);
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime"), BenchmarkCategory("1 image, 1 thread")]
    public float OrtOneThread()
    {
        using var r = _ort1.Run(_ortInput);
        return r.First().AsTensor<float>().GetValue(0);
    }

    [Benchmark(Description = "QuantuneV2 fp32 executor"), BenchmarkCategory("1 image, 1 thread")]
    public float OursOneThread() => _session.Run(_image).Floats[0];

    [Benchmark(Baseline = true, Description = "ONNX Runtime"), BenchmarkCategory("8 images, all threads")]
    public float OrtAllThreads()
    {
        float sum = 0;
        for (int i = 0; i < Images; i++)
        {
            using var r = _ortAll.Run(_ortInput);
            sum += r.First().AsTensor<float>().GetValue(0);
        }
        return sum;
    }

    [Benchmark(Description = "QuantuneV2 fp32 executor"), BenchmarkCategory("8 images, all threads")]
    public float OursAllThreads()
    {
        float sum = 0;
        _runner.Run(Images, (_, t) => _image.Floats.CopyTo(t.Floats), (_, o) => Interlocked.Exchange(ref sum, o[0].Floats[0]));
        return sum;
    }

    private static string SharedFolder()
    {
        var env = Environment.GetEnvironmentVariable("QUANTUNE_SHARED");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantuneV2.Build.sln"))) return Path.Combine(dir.Parent!.FullName, "shared");
        throw new InvalidOperationException("shared data not found: set QUANTUNE_SHARED");
    }
}
