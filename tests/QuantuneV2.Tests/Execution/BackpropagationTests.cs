using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using Attr = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Tests.Execution;

/// <summary>
/// Every backward against central finite differences of the forward: for a random output direction r and
/// input direction v, (Jᵀr)·v must equal r·(f(x + εv) − f(x − εv)) / 2ε.
/// </summary>
public class BackpropagationTests
{
    public static TheoryData<string> Cases => [.. Nodes.Keys];

    private static readonly Dictionary<string, (Node Node, int[][] Inputs, (string, int[])[] Constants)> Nodes = new()
    {
        ["conv 3x3 pad 1"] = (new Node("n", "Conv", ["x0", "w", "b"], ["y"], [Attr.IntList("pads", [1, 1, 1, 1])]), [[1, 3, 7, 6]], [("w", [4, 3, 3, 3]), ("b", [4])]),
        ["conv stride 2 dilation 2 uneven pads"] = (new Node("n", "Conv", ["x0", "w"], ["y"],
            [Attr.IntList("strides", [2, 2]), Attr.IntList("dilations", [2, 2]), Attr.IntList("pads", [1, 0, 2, 1])]), [[1, 2, 9, 8]], [("w", [3, 2, 3, 2])]),
        ["conv grouped"] = (new Node("n", "Conv", ["x0", "w"], ["y"], [Attr.Int("group", 2)]), [[1, 4, 6, 6]], [("w", [6, 2, 3, 3])]),
        ["conv depthwise stride 2"] = (new Node("n", "Conv", ["x0", "w"], ["y"],
            [Attr.Int("group", 3), Attr.IntList("strides", [2, 2]), Attr.IntList("pads", [1, 1, 1, 1])]), [[1, 3, 5, 5]], [("w", [3, 1, 3, 3])]),
        ["fused conv relu residual"] = (new Node("n", "FusedConv", ["x0", "w", "b", "x1"], ["y"],
            [Attr.IntList("pads", [1, 1, 1, 1]), Attr.String("activation", "Relu")], OpRegistry.QuantuneDomain), [[1, 2, 5, 5], [1, 3, 5, 5]], [("w", [3, 2, 3, 3]), ("b", [3])]),
        ["fused conv clip"] = (new Node("n", "FusedConv", ["x0", "w"], ["y"],
            [Attr.String("activation", "Clip"), Attr.FloatList("activation_params", [-0.5f, 0.5f])], OpRegistry.QuantuneDomain), [[1, 3, 4, 4]], [("w", [2, 3, 1, 1])]),
        ["fused gemm transB relu"] = (new Node("n", "FusedGemm", ["x0", "w", "b"], ["y"],
            [Attr.Int("transB", 1), Attr.String("activation", "Relu")], OpRegistry.QuantuneDomain), [[2, 5]], [("w", [4, 5]), ("b", [4])]),
        ["gemm alpha"] = (new Node("n", "Gemm", ["x0", "w"], ["y"], [Attr.Float("alpha", 0.5f)]), [[3, 4]], [("w", [4, 2])]),
        ["matmul"] = (new Node("n", "MatMul", ["x0", "w"], ["y"]), [[2, 3]], [("w", [3, 4])]),
        ["maxpool ceil"] = (new Node("n", "MaxPool", ["x0"], ["y"],
            [Attr.IntList("kernel_shape", [3, 3]), Attr.IntList("strides", [2, 2]), Attr.IntList("pads", [1, 1, 1, 1]), Attr.Int("ceil_mode", 1)]), [[1, 2, 7, 7]], []),
        ["averagepool with pads counted"] = (new Node("n", "AveragePool", ["x0"], ["y"],
            [Attr.IntList("kernel_shape", [3, 3]), Attr.IntList("strides", [2, 2]), Attr.IntList("pads", [1, 1, 1, 1]), Attr.Int("count_include_pad", 1)]), [[1, 2, 7, 6]], []),
        ["averagepool without pads counted"] = (new Node("n", "AveragePool", ["x0"], ["y"],
            [Attr.IntList("kernel_shape", [2, 3]), Attr.IntList("pads", [1, 0, 0, 1])]), [[1, 2, 5, 6]], []),
        ["global average pool"] = (new Node("n", "GlobalAveragePool", ["x0"], ["y"]), [[1, 3, 4, 5]], []),
        ["concat"] = (new Node("n", "Concat", ["x0", "x1"], ["y"], [Attr.Int("axis", 1)]), [[1, 2, 3, 3], [1, 3, 3, 3]], []),
        ["add"] = (new Node("n", "Add", ["x0", "x1"], ["y"]), [[1, 2, 3, 3], [1, 2, 3, 3]], []),
        ["flatten"] = (new Node("n", "Flatten", ["x0"], ["y"]), [[1, 2, 3, 3]], []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string name)
    {
        var (node, inputDims, constantDims) = Nodes[name];
        var random = new Random(name.Length);
        var constants = constantDims.Select(c => KeyValuePair.Create(c.Item1, RandomTensor(random, c.Item2))).ToList();
        var graph = Graph.Create("t", new ModelInfo(), inputDims.Select((d, i) => new ValueInfo($"x{i}", new TensorType(DataType.Float, Shape.Of(d)))),
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [node], constants);
        var session = new Session(graph);
        var x = inputDims.Select(d => RandomTensor(random, d)).ToArray();
        var y = session.Run(x)[0].Clone();
        var r = RandomTensor(random, y.Dims).ToFloatArray();

        var forward = x.Select((t, i) => ($"x{i}", t)).Append(("y", y)).ToDictionary(p => p.Item1, p => p.Item2);
        var backward = new Backpropagation(graph);
        var gradients = backward.Run(v => forward[v], new Dictionary<string, float[]> { ["y"] = r });
        const float eps = 1e-3f;
        for (int i = 0; i < x.Length; i++)
        {
            var v = RandomTensor(random, inputDims[i]).ToFloatArray();
            double analytic = Dot(gradients[$"x{i}"], v);
            double Shifted(float sign)
            {
                var shifted = x.Select(t => t.Clone()).ToArray();
                var s = shifted[i].Floats;
                for (int e = 0; e < s.Length; e++) s[e] += sign * eps * v[e];
                return Dot(r, session.Run(shifted)[0].ToFloatArray());
            }
            double numeric = (Shifted(1) - Shifted(-1)) / (2 * eps);
            Assert.True(Math.Abs(analytic - numeric) <= 2e-3 * (Math.Abs(analytic) + Math.Abs(numeric)) + 1e-4,
                $"{name}, input {i}: backward {analytic}, finite differences {numeric}");
        }
    }

    [Fact]
    public void AnOpWithoutBackwardStopsThePropagation()
    {
        // x → Flatten → Softmax → y: Softmax has no backward, so its input is where a seed would have to start.
        var graph = Graph.Create("t", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, Shape.Of([1, 4])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))],
            [new Node("f", "Flatten", ["x"], ["h"]), new Node("s", "Softmax", ["h"], ["y"])], []);
        var backward = new Backpropagation(graph);
        Assert.True(backward.GoesThrough(graph.Nodes[0]));
        Assert.False(backward.GoesThrough(graph.Nodes[1]));
        Assert.False(backward.Covers("y"));
        var x = Tensor.FromFloats([1, 2, 3, 4], 1, 4);
        var gradients = backward.Run(_ => x, new Dictionary<string, float[]> { ["h"] = [1, -1, 2, 0] });
        Assert.Equal([1f, -1f, 2f, 0f], gradients["x"]);
    }

    private static Tensor RandomTensor(Random random, int[] dims)
    {
        var data = new float[dims.Aggregate(1, (p, d) => p * d)];
        for (int e = 0; e < data.Length; e++) data[e] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromFloats(data, dims);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (p, q) => (double)p * q).Sum();
}
