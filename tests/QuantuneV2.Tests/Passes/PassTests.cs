using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Core.Passes;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;
using Attribute = QuantuneV2.Core.IR.Attribute;

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
    public void PipelineFusesTheVggClassifier()
    {
        var log = new PassLog();
        var g = PassPipeline.Run(OnnxModel.Load(SharedData.Require("models/fmnist/vgg16.bn.onnx")), log);
        Assert.DoesNotContain(g.Nodes, n => n.OpType == "Relu");
        // Gemm → Relu → Gemm → Relu → Gemm: the two hidden layers absorb their ReLU, the logits stay a plain Gemm.
        Assert.Equal(2, g.Nodes.Count(n => n.OpType == "FusedGemm" && n.FindAttribute("activation")?.S == "Relu"));
        Assert.Single(g.Nodes, n => n.OpType == "Gemm");
    }

    public static TheoryData<string, string> NewFusions() => new()
    {
        { "Gemm", "Relu" }, { "Gemm", "Clip" }, { "Gemm", "LeakyRelu" }, { "Gemm", "HardSwish" }, { "Conv", "HardSwish" },
    };

    /// <summary>One producer and one activation: fused into one node whose output is the pair's, and HardSwish's exactly.</summary>
    [Theory]
    [MemberData(nameof(NewFusions))]
    public void FusesActivationIntoItsProducer(string producer, string activation)
    {
        var rng = new Random(3);
        float[] Random(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 8 - 4))];
        var (xDims, wDims, attrs) = producer == "Gemm"
            ? (new[] { 3, 7 }, new[] { 5, 7 }, new[] { Attribute.Int("transB", 1), Attribute.Float("alpha", 0.5f) })
            : (new[] { 1, 2, 5, 5 }, new[] { 4, 2, 3, 3 }, new[] { Attribute.IntList("pads", [1, 1, 1, 1]) });
        var constants = new List<KeyValuePair<string, Tensor>>
        {
            KeyValuePair.Create("w", Tensor.FromFloats(Random(wDims.Aggregate(1, (p, d) => p * d)), wDims)),
            KeyValuePair.Create("b", Tensor.FromFloats(Random(wDims[0]), wDims[0])),
            KeyValuePair.Create("lo", Tensor.FromFloats([-1f])), KeyValuePair.Create("hi", Tensor.FromFloats([6f])),
        };
        var act = activation switch
        {
            "Clip" => new Node("act", "Clip", ["p", "lo", "hi"], ["y"]),
            "LeakyRelu" => new Node("act", "LeakyRelu", ["p"], ["y"], [Attribute.Float("alpha", 0.2f)]),
            _ => new Node("act", activation, ["p"], ["y"]),
        };
        var graph = Graph.Create("t", new ModelInfo { OpsetImports = [new OpsetImport("", 14)] }, [new ValueInfo("x", new TensorType(DataType.Float, Shape.Of(xDims)))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [new Node("p", producer, ["x", "w", "b"], ["p"], attrs), act], constants);
        var log = new PassLog();
        var fused = new FuseActivation().Run(graph, log);

        var node = Assert.Single(fused.Nodes);
        Assert.Equal("Fused" + producer, node.OpType);
        Assert.Equal(activation, node.FindAttribute("activation")?.S);
        var x = Tensor.FromFloats(Random(xDims.Aggregate(1, (p, d) => p * d)), xDims);
        var expected = new Session(graph).Run(x).ToFloatArray();
        var actual = new Session(fused).Run(x).ToFloatArray();
        float maxAbs = expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-6f * maxAbs, $"element {i}: fused {actual[i]}, unfused {expected[i]}");
    }

    [Fact]
    public void HardSwishEpilogueIsTheStandaloneOpBitForBit()
    {
        // Around ±3 the gate x/6 + 1/2 cancels: any other rounding (x·(1/6), an FMA) shows up there.
        float[] xs = [.. Enumerable.Range(-4000, 8001).Select(i => i * 0.00075f), -3f, 3f, 1e-30f, -0f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NaN];
        var standalone = new Session(Graph.Create("t", new ModelInfo { OpsetImports = [new OpsetImport("", 14)] },
            [new ValueInfo("x", new TensorType(DataType.Float, Shape.Of([xs.Length])))], [new ValueInfo("y", new TensorType(DataType.Undefined, null))],
            [new Node("h", "HardSwish", ["x"], ["y"])], [])).Run(Tensor.FromFloats(xs, xs.Length)).ToFloatArray();
        var epilogue = xs.ToArray();
        QuantuneV2.Kernels.Activation.HardSwish.ApplyInPlace(epilogue);
        for (int i = 0; i < xs.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(standalone[i]) == BitConverter.SingleToInt32Bits(epilogue[i]) || (float.IsNaN(standalone[i]) && float.IsNaN(epilogue[i])),
                $"x = {xs[i]:R}: standalone {standalone[i]:R}, epilogue {epilogue[i]:R}");
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
