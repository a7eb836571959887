using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Passes;

/// <summary>Every pass, alone and in the pipeline, leaves the fp32 outputs of real models unchanged within 1e-5 (relative to max |output|).</summary>
public class PassTests(ITestOutputHelper output)
{
    public static readonly string[] Models =
    [
        "models/imagenet/squeezenet1.1.onnx", "models/fmnist/resnet18.bn.onnx", "models/fmnist/vgg16.bn.onnx",
        "models/fmnist/mobilenetv2.bn.onnx", "models/fmnist/mobilenetv2.onnx", "models/fmnist/squeezenet1.1.onnx", "zoo:resnet18",
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var m in Models)
        {
            foreach (var p in PassPipeline.Fp32) data.Add(m, p.Name);
            data.Add(m, "pipeline");
        }
        return data;
    }

    private static Graph Load(string model) => model.StartsWith("zoo:", StringComparison.Ordinal)
        ? ModelZoo.Build(model[4..])
        : OnnxModel.Load(SharedData.Require(model));

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeepsOutputs(string model, string pass)
    {
        var graph = Load(model);
        var log = new PassLog();
        var after = pass == "pipeline" ? PassPipeline.Run(graph, log) : PassPipeline.Fp32.Single(p => p.Name == pass).Run(graph, log);
        output.WriteLine(log.ToString());
        int batch = graph.Inputs[0].Type.Shape![0].IsKnown ? (int)graph.Inputs[0].Type.Shape![0].Value : 2;
        var before = new Session(graph.WithBatch(batch));
        var fused = new Session(after.WithBatch(batch));
        var dims = before.Graph.Inputs[0].Type.Shape!.ToInts();
        var rng = new Random(5);
        var x = Tensor.FromFloats(Enumerable.Range(0, dims.Aggregate(1, (p, d) => p * d)).Select(_ => (float)(rng.NextDouble() * 2 - 1) * (model.Contains("imagenet") ? 60 : 1)).ToArray(), dims);
        var expected = before.Run(x).ToFloatArray();
        var actual = fused.Run(x).ToFloatArray();
        float maxAbs = expected.Max(MathF.Abs), maxDiff = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
        Assert.True(maxDiff <= 1e-5f * maxAbs, $"{pass} on {model}: max diff {maxDiff:E2} vs max |output| {maxAbs:E2}");
    }

    [Fact]
    public void PipelineFusesResNetBlocks()
    {
        var log = new PassLog();
        var g = PassPipeline.Run(OnnxModel.Load(SharedData.Require("models/fmnist/resnet18.bn.onnx")), log);
        var ops = g.Nodes.GroupBy(n => n.OpType).ToDictionary(k => k.Key, k => k.Count());
        output.WriteLine(string.Join(", ", ops.Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.False(ops.ContainsKey("BatchNormalization"));
        Assert.False(ops.ContainsKey("Relu"));
        Assert.False(ops.ContainsKey("Add"));
        // 17 convolutions absorb a ReLU and/or the residual add; the 3 downsample 1x1 convs only absorb their BN.
        Assert.Equal(17, ops["FusedConv"]);
        Assert.Equal(3, ops["Conv"]);
        Assert.Equal(20, log.Count("fold-batchnorm"));
        Assert.Equal(8, log.Count("fuse-residual-add"));
        Assert.Equal(17, log.Count("fuse-activation"));
    }

    [Fact]
    public void ClipWithConstantBoundsBecomesAnEpilogue()
    {
        var g = PassPipeline.Run(OnnxModel.Load(SharedData.Require("models/fmnist/mobilenetv2.onnx")), new PassLog());
        Assert.DoesNotContain(g.Nodes, n => n.OpType == "Clip");
        Assert.Contains(g.Nodes, n => n.FindAttribute("activation")?.S == "Clip");
    }

    [Fact]
    public void StandaloneBatchNormBecomesScaleAndShift()
    {
        // BN after an Add has no Conv/Gemm producer to fold into.
        var model = Onnx.ProtoBuilder.Model(13,
        [
            Onnx.ProtoBuilder.Node("Add", ["x", "x"], ["a"]),
            Onnx.ProtoBuilder.Node("BatchNormalization", ["a", "g", "b", "m", "v"], ["y"], "bn"),
        ], inputDims: [1, 2, 2, 2], initializers:
        [
            Onnx.ProtoBuilder.Floats("g", [2], 2, 3), Onnx.ProtoBuilder.Floats("b", [2], 1, -1),
            Onnx.ProtoBuilder.Floats("m", [2], 0.5f, 0), Onnx.ProtoBuilder.Floats("v", [2], 4, 1),
        ]);
        var graph = OnnxModel.Parse(Onnx.ProtoBuilder.Bytes(model), "bn.onnx", null);
        var log = new PassLog();
        var after = new FoldBatchNorm().Run(graph, log);
        Assert.Equal(["Add", "Mul", "Add"], after.Nodes.Select(n => n.OpType));
        var x = Tensor.FromFloats([1, 2, 3, 4, 5, 6, 7, 8], 1, 2, 2, 2);
        var expected = new Session(graph).Run(x).ToFloatArray();
        var actual = new Session(after).Run(x).ToFloatArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
        Assert.Contains("per-channel Mul and Add", log.ToString());
    }
}
