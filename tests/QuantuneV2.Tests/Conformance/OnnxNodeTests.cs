using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.Conformance;

/// <summary>
/// The ONNX backend test data (../shared/onnx-node-tests): every test whose operators we support
/// must reproduce the expected outputs (rtol 1e-3, atol 1e-7 for floats; exact otherwise), except
/// the ones listed with a reason in <see cref="ConformanceExclusions"/>.
/// </summary>
public class OnnxNodeTests(ITestOutputHelper output)
{
    public static readonly string[] Suites = ["node", "pytorch-converted", "simple"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var root = SharedData.Root is null ? null : Path.Combine(SharedData.Root, "onnx-node-tests");
        if (root is null || !Directory.Exists(root))
        {
            data.Add("<missing>");
            return data;
        }
        foreach (var suite in Suites)
            foreach (var dir in Directory.GetDirectories(Path.Combine(root, suite)).Order(StringComparer.Ordinal))
                if (InScope(Path.Combine(dir, "model.onnx"))) data.Add(suite + "/" + Path.GetFileName(dir));
        return data;
    }

    /// <summary>Whether every op of the test model is one we support (the test is in scope).</summary>
    public static bool InScope(string modelPath) => ModelOpTypes(modelPath).All(op => OpRegistry.TryGet(op, out _));

    private static IEnumerable<string> ModelOpTypes(string modelPath) =>
        QuantuneV2.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath)).Graph.Node.Select(n => n.Domain is "" or "ai.onnx" ? n.OpType : n.Domain + "." + n.OpType);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Passes(string name)
    {
        var dir = SharedData.Require(Path.Combine("onnx-node-tests", name));
        var model = Path.Combine(dir, "model.onnx");
        if (ConformanceExclusions.Reasons.TryGetValue(name, out var reason))
        {
            // An excluded test must still end in a clear QV error, never a crash or a silent wrong answer.
            output.WriteLine($"excluded: {reason}");
            var e = Record.Exception(() => Run(dir, model));
            Assert.IsType<QuantuneException>(e);
            return;
        }
        Run(dir, model);
    }

    internal static void Run(string dir, string model)
    {
        var graph = OnnxModel.Load(model);
        foreach (var set in Directory.GetDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal))
        {
            var inputs = ReadSet(set, "input", graph.Inputs.Length);
            // The executor plans for static shapes: integer/bool inputs (shapes, axes, flags) are bound as constants.
            var frozen = graph.Inputs.Select((v, i) => (v.Name, Value: inputs[i])).Where(p => p.Value.DataType is DataType.Int64 or DataType.Int32 or DataType.Bool)
                .ToDictionary(p => p.Name, p => p.Value);
            var runtime = graph.Inputs.Select((v, i) => (v.Name, Value: inputs[i])).Where(p => !frozen.ContainsKey(p.Name)).ToList();
            var bound = graph.WithConstantInputs(frozen).WithInputShapes(runtime.ToDictionary(p => p.Name, p => p.Value.Shape));
            var session = new Session(bound);
            var actual = session.Run(runtime.Select(p => p.Value).ToList());
            var expected = ReadSet(set, "output", graph.Outputs.Length);
            for (int o = 0; o < expected.Count; o++) TensorAssert.Close(expected[o], actual[o], $"{Path.GetFileName(set)} output {o} '{graph.Outputs[o].Name}'");
        }
    }

    private static List<Tensor> ReadSet(string set, string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => OnnxModel.ReadTensor(Path.Combine(set, $"{prefix}_{i}.pb"))).ToList();

    [Fact]
    public void ReportsSupportedOverTotal()
    {
        var root = SharedData.Require("onnx-node-tests");
        int total = 0, inScope = 0, excluded = 0;
        foreach (var suite in Suites)
            foreach (var dir in Directory.GetDirectories(Path.Combine(root, suite)))
            {
                total++;
                if (!InScope(Path.Combine(dir, "model.onnx"))) continue;
                inScope++;
                if (ConformanceExclusions.Reasons.ContainsKey(suite + "/" + Path.GetFileName(dir))) excluded++;
            }
        var line = $"ONNX conformance: {inScope - excluded}/{total} supported and passing ({inScope} use only supported ops, {excluded} of them excluded with a reason)";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(inScope - excluded >= 265, line);
        // Every exclusion names a real, in-scope test: stale entries are removed, not kept.
        foreach (var name in ConformanceExclusions.Reasons.Keys)
            Assert.True(InScope(Path.Combine(root, name, "model.onnx")), $"exclusion '{name}' is not an in-scope test");
    }
}
