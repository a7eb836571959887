using QuantuneV2.Kernels.Program;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Manifest;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;

namespace QuantuneV2.Tests.Program;

public class ProgramLoweringTests
{
    public static TheoryData<string, string> Plans() => new()
    {
        { "models/fmnist/resnet18.bn.onnx", "none" }, { "models/fmnist/resnet18.bn.onnx", "3" },
        { "models/fmnist/mobilenetv2.bn.onnx", "50%" }, { "models/fmnist/vgg16.bn.onnx", "none" },
        { "models/fmnist/squeezenet1.1.onnx", "50%" }, { "models/imagenet/squeezenet1.1.onnx", "none" },
    };

    private static Graph Lowered(string model, string fp32Layers) =>
        Planner.Run(SharedData.Require(model), null, new PlanOptions { Fp32Layers = fp32Layers, Selection = "score" }, limit: 2).Quantized.WithBatch(1);

    [Theory]
    [MemberData(nameof(Plans))]
    public void EveryNodeButViewsAndInPlaceConcatsIsOneStepAndTheTextRoundTrips(string model, string fp32Layers)
    {
        var graph = Lowered(model, fp32Layers);
        var (program, weights) = ProgramLowering.Lower(graph, model, QConv2d.Architectures.Both);
        var inPlace = InPlaceConcats.Find(graph);
        Assert.Equal(graph.Nodes.Count(n => n.OpType is not ("Flatten" or "Reshape" or "Squeeze" or "Unsqueeze" or "Identity") && !inPlace.Elides(n)), program.Steps.Count);
        // Every weight the program refers to is in the blob with its type, and the blob holds nothing else.
        var references = program.Steps.SelectMany(s => s.Args).Select(a => a.Value).Where(v => v.StartsWith('#'))
            .Select(v => (Index: int.Parse(v[1..v.IndexOf(':')], System.Globalization.CultureInfo.InvariantCulture), Type: v[(v.IndexOf(':') + 1)..])).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, weights.All.Count), references.Select(r => r.Index).Order());
        Assert.All(references, r => Assert.Equal(StepContext.TypeName(weights.All[r.Index].Type), r.Type));
        var text = program.ToText();
        Assert.Equal(text, KernelProgram.Parse(text).ToText());
        // Values start aligned, but for a convolution's output written inside a Concat's, at its channel offset.
        Assert.All(program.Steps, s => Assert.All(s.Args.Where(a => a.Key is "X" or "Y" or "Z"), a => Assert.True(
            (KernelProgram.ParseLong(a.Value) % ProgramLowering.Alignment == 0 || (a.Key == "Y" && s.Args.Any(b => b.Key == "YStride")))
            && KernelProgram.ParseLong(a.Value) < program.ArenaBytes, $"{s.Kernel} {a.Key}={a.Value}")));
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void ValuesAliveAtTheSameTimeNeverShareBytes(string model, string fp32Layers)
    {
        var graph = Lowered(model, fp32Layers);
        var views = new HashSet<string> { "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity" };
        var inPlace = InPlaceConcats.Find(graph);
        var arena = ProgramLowering.Arena.Plan(graph, n => views.Contains(n.OpType), inPlace);
        // Independent of the planner: each value's bytes and its lifetime [first written, last read], a view's folded
        // into the value it views, an in-place Concat input's into the Concat's output, where it sits at its channel offset.
        var source = new Dictionary<string, string>();
        string Root(string v) => source.TryGetValue(v, out var r) ? Root(r) : v;
        foreach (var n in graph.Nodes.Where(n => views.Contains(n.OpType))) source[n.Outputs[0]] = n.Inputs[0];
        foreach (var n in graph.Nodes.Where(inPlace.Elides))
        {
            long channel = 0;
            foreach (var i in n.Inputs)
            {
                source[i] = n.Outputs[0];
                Assert.Equal(arena.Offset(n.Outputs[0]) + channel, arena.Offset(i));
                channel += graph.TypeOf(i).Shape!.ToInts()[1];
            }
        }
        var from = graph.Inputs.ToDictionary(i => i.Name, _ => -1);
        var to = new Dictionary<string, int>();
        for (int s = 0; s < graph.Nodes.Length; s++)
        {
            foreach (var i in graph.Nodes[s].Inputs.Where(i => i.Length > 0 && !graph.Constants.ContainsKey(i))) to[Root(i)] = Math.Max(to.GetValueOrDefault(Root(i), s), s);
            foreach (var o in graph.Nodes[s].Outputs) from[Root(o)] = Math.Min(from.GetValueOrDefault(Root(o), s), s);
        }
        foreach (var o in graph.Outputs) to[Root(o.Name)] = int.MaxValue;
        var values = from.Keys.Select(v => (v, Start: arena.Offset(v), End: arena.Offset(v) + graph.TypeOf(v).Shape!.ElementCount() * DataTypes.ElementSize(graph.TypeOf(v).DataType),
            From: from[v], To: to.GetValueOrDefault(v, from[v]))).ToList();
        foreach (var a in values)
            foreach (var b in values)
                if (a.v != b.v && a.From <= b.To && b.From <= a.To)
                    Assert.False(a.Start < b.End && b.Start < a.End, $"'{a.v}' [{a.Start}, {a.End}) and '{b.v}' [{b.Start}, {b.End}) are alive together");
        Assert.True(arena.Bytes < values.Sum(v => v.End - v.Start), "no bytes were shared at all");
    }

    [Fact]
    public void FireModuleConcatsAreWrittenInPlaceByTheirExpandConvolutions()
    {
        var graph = Lowered("models/imagenet/squeezenet1.1.onnx", "none");
        var (program, _) = ProgramLowering.Lower(graph, "m", QConv2d.Architectures.X64);
        Assert.Equal(8, graph.Nodes.Count(n => n.OpType == "QConcat"));
        Assert.DoesNotContain(program.Steps, s => s.Kernel == "QConcat");
        // Each fire module's two expand convolutions write every other run of channels of one output.
        var strided = program.Steps.Where(s => s.Args.Any(a => a.Key == "YStride")).ToList();
        Assert.Equal(16, strided.Count);
        Assert.All(strided, s => Assert.Equal(2 * KernelProgram.ParseLong(s.Args.Single(a => a.Key == "OC").Value), KernelProgram.ParseLong(s.Args.Single(a => a.Key == "YStride").Value)));
    }

    [Theory]
    [InlineData("none", true)]
    [InlineData("100%", false)]
    public void AFirstQuantizeThatAloneReadsTheInputReadsItWhereTheCallerHoldsIt(string fp32Layers, bool direct)
    {
        var (program, _) = ProgramLowering.Lower(Lowered("models/fmnist/resnet18.bn.onnx", fp32Layers), "m", QConv2d.Architectures.X64);
        Assert.Equal(direct ? "true" : null, program.MetaValue(KernelProgram.DirectInput));
        Assert.Equal(direct ? "Quantize" : "Conv2d", program.Steps[0].Kernel);
    }

    [Fact]
    public void AnOpWithoutAGeneratedKernelIsAnErrorNamingTheNode()
    {
        var graph = Graph.Create("t", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, new Shape(1, 4, 6, 6)))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [new Node("pool", "GlobalMaxPool", ["x"], ["y"])], []);
        var e = Assert.Throws<QuantuneException>(() => ProgramLowering.Lower(graph, "m.onnx", QConv2d.Architectures.Both));
        Assert.Equal(DiagnosticCode.UnsupportedOp, e.Code);
        Assert.Contains("GlobalMaxPool has no generated kernel", e.Message);
        Assert.Contains("pool", e.ToString());
    }

    [Theory]
    [InlineData(QConv2d.Architectures.X64, "PairWeights", "TapWeights")]
    [InlineData(QConv2d.Architectures.Arm64, "TapWeights", "PairWeights")]
    public void ConvolutionsArePackedForTheTargetArchitectureOnly(QConv2d.Architectures architectures, string wanted, string other)
    {
        // MobileNetV2 has dense and depthwise convolutions and a Gemm.
        var graph = Lowered("models/fmnist/mobilenetv2.bn.onnx", "none");
        var (program, weights) = ProgramLowering.Lower(graph, "m", architectures);
        var convolutions = program.Steps.Where(s => s.Kernel is "QConv2d" or "QGemm").ToList();
        Assert.All(convolutions, s => Assert.Contains(s.Args, a => a.Key == "FoldedBias"));
        Assert.Contains(convolutions, s => s.Args.Any(a => a.Key == wanted));
        Assert.DoesNotContain(convolutions, s => s.Args.Any(a => a.Key == other));
        Assert.Equal(architectures == QConv2d.Architectures.Arm64, convolutions.All(s => s.Args.Any(a => a.Key == "SignedFoldedBias")));
        // Dense layers carry only their packed weights; depthwise ones keep the raw ones for the scalar path.
        Assert.All(convolutions.Where(s => s.Args.Any(a => a.Key == "PackedWeights")), s => Assert.DoesNotContain(s.Args, a => a.Key == "Weights"));
        Assert.DoesNotContain(weights.All, w => w.Type == DataType.Int16 && w.Name.EndsWith(other, StringComparison.Ordinal));
    }
}
