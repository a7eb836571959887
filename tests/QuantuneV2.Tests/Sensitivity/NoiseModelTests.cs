using QuantuneV2.Core.IR;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tests.Sensitivity;

public class NoiseModelTests
{
    // x → Conv a → MaxPool p → Conv b → Softmax → y. Each source gets its own projection row holding the square
    // root of its output noise, so the predicted NSR of a mix is the sum of the noises of the sources it keeps on:
    // weights a and b, and the rounding of x, ya, yp (only stored when p is fp32 and b int8: an int8 MaxPool
    // re-uses its input's encoding) and yb.
    private const double Wa = 0.004, Wb = 0.001, Rx = 0.0002, Rya = 0.0016, Ryp = 0.0016, Ryb = 0.005;
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
        PlanLayer[] layers = [new("a", "Conv", 0, PlanLayer.Int8, ""), new("p", "MaxPool", 0, PlanLayer.Int8, ""), new("b", "Conv", 0, PlanLayer.Int8, "")];
        var sources = NoiseModel.Sources(graph, layers, WeightTwins.Build(graph, ["a", "p", "b"], new PlanOptions()), ["x", "ya", "yp", "yb"]);
        var noise = new Dictionary<(bool, string), double>
        {
            [(true, "ya")] = Wa, [(true, "yb")] = Wb, [(false, "x")] = Rx, [(false, "ya")] = Rya, [(false, "yp")] = Ryp, [(false, "yb")] = Ryb,
        };
        Assert.Equal(noise.Count, sources.Count);
        var projections = sources.Select((s, k) =>
        {
            var row = new double[sources.Count];
            row[k] = Math.Sqrt(noise[(s.IsWeights, s.Error.Value)]);
            return row;
        }).ToArray();
        // Output energy 1/R: the model's scale 1/(R·energy) is then 1.
        return new NoiseModel(sources, projections, 1.0 / NoiseProjection.Projections);
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
    public void CalibrationScalesEveryPredictionToTheMeasuredAllInt8Noise()
    {
        var calibrated = Chain().CalibratedTo(2 * (Wa + Wb + Rx + Rya + Ryb));
        Assert.Equal(2 * (Wa + Wb + Rx + Rya + Ryb), calibrated.PredictedNsr([false, false, false]), 12);
        Assert.Equal(2 * (Wb + Ryp + Ryb), calibrated.PredictedNsr([true, true, false]), 12);
    }

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

public class NoiseModelCorrelationTests
{
    [Fact]
    public void SourcesThatCancelAtTheOutputPredictLessThanTheirSum()
    {
        // Two weight sources whose projections are opposite in one row: together they cancel there, so both on
        // (0² + 1²) is less than either alone (1² + 0.5²), not the sum of the two.
        var graph = Graph.Create("two", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, new Shape([Dim.Of(1), Dim.Of(1), Dim.Of(2), Dim.Of(2)])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))],
            [new Node("a", "Conv", ["x", "w"], ["ya"]), new Node("b", "Conv", ["ya", "w"], ["y"])],
            [KeyValuePair.Create("w", Tensor.FromFloats([1f], 1, 1, 1, 1))]);
        PlanLayer[] layers = [new("a", "Conv", 0, PlanLayer.Int8, ""), new("b", "Conv", 0, PlanLayer.Int8, "")];
        var sources = NoiseModel.Sources(graph, layers, WeightTwins.Build(graph, ["a", "b"], new PlanOptions()), []);
        var model = new NoiseModel(sources, [[1.0, 0.5], [-1.0, 0.5]], 1.0 / NoiseProjection.Projections);
        Assert.Equal(1.0, model.PredictedNsr([false, false]), 12);
        Assert.Equal(1.25, model.PredictedNsr([false, true]), 12);
        Assert.Equal(1.25, model.PredictedNsr([true, false]), 12);
    }
}
