using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Calibration;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Data;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.Quantization;

/// <summary>End to end on real models: fuse, calibrate, lower to int8, run the integer reference executor.</summary>
public class QuantizerTests(ITestOutputHelper output)
{
    private const int TestImages = 1000;

    private static string Spec(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantuneV2.Build.sln"))) return Path.Combine(dir.FullName, "samples", "datasets", name);
        throw new InvalidOperationException("repository root not found");
    }

    public static TheoryData<string> Models() => ["models/fmnist/resnet18.bn.onnx", "models/fmnist/mobilenetv2.bn.onnx", "models/fmnist/vgg16.bn.onnx", "models/fmnist/squeezenet1.1.onnx"];

    [Theory]
    [MemberData(nameof(Models))]
    public void AllInt8StaysWithinOnePointFiveOfFp32(string model)
    {
        var fp32 = OnnxModel.Load(SharedData.Require(model));
        var log = new PassLog();
        var fused = PassPipeline.Run(fp32, log);
        var options = new QuantizationOptions();
        var calib = Dataset.Load(Spec("fashion-mnist-calib.json"));
        var ranges = Calibrator.Run(fused, [.. Quantizer.ValuesToCalibrate(fused, options)], calib.Count, calib.LoadInput, () => RangeObservers.Create(CalibrationMethod.MinMax), Environment.ProcessorCount);
        var int8 = Quantizer.Quantize(fused, ranges.ToDictionary(kv => kv.Key, kv => (kv.Value.Min, kv.Value.Max)), options, log);

        var ops = int8.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", ops.Select(kv => $"{kv.Key} {kv.Value}")));
        // Q/DQ only at int8↔fp32 boundaries: the input, the logits, and around each node left fp32
        // (VGG16's Relu after a Gemm: Gemm epilogues are not fused yet).
        int fp32Compute = int8.Nodes.Count(n => n.Domain.Length == 0 && n.OpType is not ("QuantizeLinear" or "DequantizeLinear" or "Flatten"));
        Assert.Equal(1 + fp32Compute, ops.GetValueOrDefault("QuantizeLinear"));
        Assert.Equal(1 + fp32Compute, ops.GetValueOrDefault("DequantizeLinear"));
        Assert.DoesNotContain(int8.Nodes, n => n.OpType is "Conv" or "FusedConv");

        var test = Dataset.Load(Spec("fashion-mnist-test.json"));
        int[] Predict(Graph g)
        {
            var p = new int[TestImages];
            ParallelRunner.Run(g, TestImages, Environment.ProcessorCount, (i, t) => test.LoadInput(i, t.Floats), (i, o) => p[i] = TopK.ArgMax(o[0].Floats));
            return p;
        }
        var reference = Predict(fp32);
        var quantized = Predict(int8);
        double top1Fp32 = Enumerable.Range(0, TestImages).Count(i => reference[i] == test.Label(i)) / (double)TestImages;
        double top1Int8 = Enumerable.Range(0, TestImages).Count(i => quantized[i] == test.Label(i)) / (double)TestImages;
        double agreement = Enumerable.Range(0, TestImages).Count(i => quantized[i] == reference[i]) / (double)TestImages;
        output.WriteLine($"{model}: fp32 top-1 {top1Fp32:F4}, all-int8 top-1 {top1Int8:F4}, agreement {agreement:F4} (first {TestImages} test images, MinMax, per-channel, uint8)");
        Assert.True(top1Int8 >= top1Fp32 - 0.015, $"all-int8 top-1 {top1Int8:F4} vs fp32 {top1Fp32:F4}");
    }
}
