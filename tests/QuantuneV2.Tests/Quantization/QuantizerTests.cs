using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Data;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Tests.Quantization;

/// <summary>End to end on real models: fuse, calibrate, lower to int8, run the integer reference executor.</summary>
public class QuantizerTests(ITestOutputHelper output)
{
    private const int TestImages = 1000;

    public static TheoryData<string> Models() => ["models/fmnist/resnet18.bn.onnx", "models/fmnist/mobilenetv2.bn.onnx", "models/fmnist/vgg16.bn.onnx", "models/fmnist/squeezenet1.1.onnx"];

    [Theory]
    [MemberData(nameof(Models))]
    public void AllInt8StaysWithinOnePointFiveOfFp32(string model)
    {
        // The pipeline the CLI runs: fuse, MinMax calibration on the calibration set, lower (per-channel, uint8).
        var fp32 = OnnxModel.Load(SharedData.Require(model));
        var int8 = Planner.Run(SharedData.Require(model), Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-calib.json")), new PlanOptions()).Quantized;

        var ops = int8.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", ops.Select(kv => $"{kv.Key} {kv.Value}")));
        // Q/DQ only at int8↔fp32 boundaries, and every model here is int8 end to end (VGG16's Gemm→Relu
        // classifier too, as FusedGemm → QGemm with the integer clamp): one Q for the input, one DQ for the logits.
        Assert.Equal(1, ops.GetValueOrDefault("QuantizeLinear"));
        Assert.Equal(1, ops.GetValueOrDefault("DequantizeLinear"));
        Assert.DoesNotContain(int8.Nodes, n => n.Domain.Length == 0 && n.OpType is not ("QuantizeLinear" or "DequantizeLinear" or "Flatten"));
        Assert.DoesNotContain(int8.Nodes, n => n.OpType is "Conv" or "FusedConv" or "Gemm" or "FusedGemm");

        var test = Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-test.json"));
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

    [Fact]
    public void OnlyValuesAConcatAloneReadsTakeItsRange()
    {
        ValueInfo Input(string name) => new(name, new TensorType(DataType.Float, Shape.Of([1, 2, 3, 3])));
        var graph = Graph.Create("t", new ModelInfo(), [Input("a"), Input("b")],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null)), new ValueInfo("u", new TensorType(DataType.Undefined, null))],
            [new Node("r1", "Relu", ["a"], ["t"]), new Node("cat", "Concat", ["t", "b"], ["y"], [Attribute.Int("axis", 1)]), new Node("r2", "Relu", ["b"], ["u"])], []);
        // b is also read by r2, so it keeps its own range.
        Assert.Equal(new Dictionary<string, string> { ["t"] = "y" }, Quantizer.ConcatInputs(graph));
    }

    [Fact]
    public void FireModuleConcatsAreCopies()
    {
        // The expand convolutions of every fire module requantize straight to their Concat's encoding.
        var int8 = Planner.Run(SharedData.Require("models/fmnist/squeezenet1.1.onnx"), null, new PlanOptions()).Quantized;
        var concats = int8.Nodes.Where(n => n.OpType == "QConcat").ToList();
        Assert.Equal(8, concats.Count);
        Assert.All(concats, c =>
        {
            Assert.All(c.FindAttribute("input_multipliers")!.Floats, m => Assert.Equal(1f, m));
            Assert.All(c.FindAttribute("input_zero_points")!.Ints, z => Assert.Equal(c.FindAttribute("y_zero_point")!.I, z));
        });
    }

    [Fact]
    public void AveragePoolLowersToQAveragePool()
    {
        var pool = new Node("pool", "AveragePool", ["x"], ["y"],
            [Attribute.IntList("kernel_shape", [3, 3]), Attribute.IntList("strides", [2, 2]), Attribute.IntList("pads", [1, 1, 1, 1]), Attribute.Int("ceil_mode", 1)]);
        var graph = Graph.Create("t", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, Shape.Of([1, 2, 6, 7])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [pool], []);
        var int8 = Quantizer.Quantize(graph, new Dictionary<string, (float, float)> { ["x"] = (-1f, 1f), ["y"] = (-1f, 1f) }, new QuantizationOptions(), new PassLog());
        Assert.Equal(["QuantizeLinear", "QAveragePool", "DequantizeLinear"], int8.Nodes.Select(n => n.OpType));

        var rng = new Random(2);
        var x = Tensor.FromFloats([.. Enumerable.Range(0, 84).Select(_ => (float)(rng.NextDouble() * 2 - 1))], 1, 2, 6, 7);
        var expected = new Session(graph).Run(x).ToFloatArray();
        var actual = new Session(int8).Run(x).ToFloatArray();
        // Two quantizations (input and output) of step 2/255 each, one rounding of the mean between them.
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 2.5f * 2 / 255, $"element {i}: int8 {actual[i]}, fp32 {expected[i]}");
    }
}
