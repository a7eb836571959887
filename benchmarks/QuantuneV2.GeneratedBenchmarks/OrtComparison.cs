using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// What the one-thread model benchmarks share: ONNX Runtime 1.31.1 on one thread (all graph optimizations) running a
/// model's fp32 file, the baseline, and its all-int8 plan's QDQ export; the seeded image and an output buffer.
/// </summary>
public abstract class OrtComparison
{
    private InferenceSession _ortFp32 = null!, _ortInt8 = null!;
    private NamedOnnxValue[] _ortInput = null!;

    protected float[] Image { get; private set; } = [];
    protected float[] Output { get; private set; } = [];

    protected void SetUp(string model, int outputs)
    {
        _ortFp32 = BenchmarkModels.Ort(model, int8: false, threads: 1);
        _ortInt8 = BenchmarkModels.Ort(model, int8: true, threads: 1);
        Image = BenchmarkModels.Image();
        _ortInput = BenchmarkModels.OrtInput(_ortFp32, Image);
        Output = new float[outputs];
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

    /// <summary>One call of a generated class's Infer on the image.</summary>
    private protected float Run(BenchmarkModels.Infer infer)
    {
        infer(Image, Output);
        return Output[0];
    }
}
