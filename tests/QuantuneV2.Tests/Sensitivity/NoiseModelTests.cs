using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.IR;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tests.Sensitivity;

public class NoiseModelTests
{
    // x → Conv a → MaxPool p → Conv b → Softmax → y, with hand-picked energies (signal, noise) per value.
    // Gains, from the end: G(yb) = 1/S(yb) = 0.02 (Softmax keeps the NSR);
    // b: own noise = 0.001·50 (weights, 30 dB) + 0.25 (rounding of yb), passed = 0.5 − 0.3 = 0.2 of yp's 1.0 → G(yp) = 0.004;
    // p: passes all its input noise → G(ya) = 0.004; a: its own noise 0.01·100 + 0.4 = 1.4 exceeds all of ya's 1.0, so
    // ya's noise is split between x and a's own in proportion to 0.01 (x's NSR × S(ya)) and 1.4: x passed 1.0·0.01/1.41 of
    // its 0.01 → G(x) = 0.004/1.41.
    // Sources at the output: weights a 1.0·0.004, weights b 0.05·0.02, rounding x 0.01·G(x), rounding ya 0.4·0.004,
    // rounding yp 0.4·0.004 (only when p is fp32 and b int8: an int8 MaxPool re-uses its input's encoding), rounding yb 0.25·0.02.
    private const double Wa = 0.004, Wb = 0.001, Rx = 0.01 * 0.004 / 1.41, Rya = 0.0016, Ryp = 0.0016, Ryb = 0.005;
    private static NoiseModel Chain()
    {
        var w = Tensor.FromFloats([1f], 1, 1, 1, 1);
        var graph = Graph.Create("chain", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, new Shape([Dim.Of(1), Dim.Of(1), Dim.Of(4), Dim.Of(4)])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))],
            [
                new Node("a", "Conv", ["x", "wa"], ["ya"]),
                new Node("p", "MaxPool", ["ya"], ["yp"], [QuantuneV2.Core.IR.Attribute.IntList("kernel_shape", [1, 1])]),
                new Node("b", "Conv", ["yp", "wb"], ["yb"]),
                new Node("s", "Softmax", ["yb"], ["y"]),
            ],
            [KeyValuePair.Create("wa", w), KeyValuePair.Create("wb", w)]);
        static PlanLayer Layer(string name, string op, double weightDb) =>
            new(name, op, 0, PlanLayer.Int8, "", Sensitivity: new PlanLayerSensitivity(weightDb, 0, 0, 0, 0, 0, 0));
        var traces = new Dictionary<string, ValueNoise>
        {
            ["x"] = new(new SqnrAccumulator(100, 0.01), 16),
            ["ya"] = new(new SqnrAccumulator(100, 1.0), 16),
            ["yp"] = new(new SqnrAccumulator(100, 1.0), 16),
            ["yb"] = new(new SqnrAccumulator(50, 0.5), 16),
        };
        var rounding = new Dictionary<string, SqnrAccumulator>
        {
            ["x"] = new(100, 0.01),
            ["ya"] = new(100, 0.4),
            ["yp"] = new(100, 0.4),
            ["yb"] = new(50, 0.25),
        };
        return new NoiseModel(graph, [Layer("a", "Conv", 20), Layer("p", "MaxPool", double.PositiveInfinity), Layer("b", "Conv", 30)], traces, rounding);
    }

    [Theory]
    [InlineData(false, false, false, Wa + Wb + Rx + Rya + Ryb)]
    [InlineData(false, false, true, Wa + Rx + Rya)]         // b fp32: its weights and the rounding of yb go
    [InlineData(true, false, false, Wb + Rya + Ryb)]        // a fp32: its weights and x's rounding go, but ya is still rounded for the int8 MaxPool
    [InlineData(false, true, false, Wa + Wb + Rx + Rya + Ryp + Ryb)] // a lone fp32 MaxPool only adds a rounding of yp: an island costs
    [InlineData(true, true, false, Wb + Ryp + Ryb)]
    [InlineData(false, true, true, Wa + Rx + Rya)]
    [InlineData(true, true, true, 0)]
    public void PredictsTheNoiseOfEachMix(bool a, bool p, bool b, double nsr) =>
        Assert.Equal(nsr, Chain().PredictedNsr([a, p, b]), 12);

    [Fact]
    public void GreedyOrderTakesTheLargestReductionEachStep()
    {
        var order = Chain().GreedyOrder([0, 1, 2], [false, false, false]);
        Assert.Equal([2, 0, 1], order.Select(o => o.Layer));
        Assert.Equal([Wa + Rx + Rya, Rya, 0], order.Select(o => o.Nsr), new Tolerance(1e-12));
    }

    [Fact]
    public void GreedyOrderStartsFromTheLayersAlreadyFp32()
    {
        // With b already fp32 (excluded), a is worth more than p.
        var order = Chain().GreedyOrder([0, 1], [false, false, true]);
        Assert.Equal([0, 1], order.Select(o => o.Layer));
    }
}

internal sealed class Tolerance(double epsilon) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
    public int GetHashCode(double obj) => 0;
}
