using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tests.Sensitivity;

public class NoiseProjectionTests
{
    [Fact]
    public void ProjectionsEstimateEachSourcesOutputNoiseAndTheirSum()
    {
        // y = 1.0·x0 + 0.3·x1 (a 1×1 Conv, output = graph output). Per-tensor int8 weights: scale 1/127, 0.3 → 38/127.
        // x = (0.25, 0.5) and (0.1, −0.2) per pixel, stored with scale 0.3: errors δx; y stored with scale 0.2: δy.
        // To first order the output error is J·δx + δw + δy with J = w, so each source's noise is exact by hand.
        var graph = Graph.Create("c", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, Shape.Of([1, 2, 1, 2])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [new Node("c", "Conv", ["x", "w"], ["y"])],
            [KeyValuePair.Create("w", Tensor.FromFloats([1f, 0.3f], 1, 2, 1, 1))]);
        float[] x = [0.25f, 0.1f, 0.5f, -0.2f]; // [channel][pixel]
        double[] y = [0.25 + 0.3 * 0.5, 0.1 + 0.3 * -0.2];
        var px = new QuantParams(0.3f, 0, QuantType.Int8);
        var py = new QuantParams(0.2f, 0, QuantType.Int8);
        double Err(QuantParams p, double v) => p.Dequantize(p.Quantize((float)v)) - v;
        double w1 = 38 / 127.0;
        double[] viaX = [Err(px, x[0]) + 0.3 * Err(px, x[2]), Err(px, x[1]) + 0.3 * Err(px, x[3])];
        double[] viaW = [(w1 - 0.3) * x[2], (w1 - 0.3) * x[3]];
        double[] viaY = [Err(py, y[0]), Err(py, y[1])];

        var twins = WeightTwins.Build(graph, ["c"], new PlanOptions { PerChannel = false });
        NoiseProjection.Source[] sources = [new("x", null), new("y", twins.TwinOutputOf["c"]), new("y", null)];
        const int samples = 400;
        var (projections, energy, outputs) = NoiseProjection.Measure(twins.Graph, sources, new Dictionary<string, QuantParams> { ["x"] = px, ["y"] = py },
            samples, (_, input) => x.CopyTo(input), threads: 2);

        Assert.Equal(["y"], outputs);
        Assert.Equal(samples * (y[0] * y[0] + y[1] * y[1]), energy, 4);
        double MeanSquare(Func<int, double> row) => Enumerable.Range(0, samples * NoiseProjection.Projections).Average(i => row(i) * row(i));
        double Norm(params double[][] parts) => Enumerable.Range(0, 2).Sum(e => Math.Pow(parts.Sum(p => p[e]), 2));
        // E[(r·d)²] = ‖d‖²; 3200 directions leave a few percent of sampling error.
        Assert.Equal(1, MeanSquare(i => projections[0][i]) / Norm(viaX), 0.1);
        Assert.Equal(1, MeanSquare(i => projections[1][i]) / Norm(viaW), 0.1);
        Assert.Equal(1, MeanSquare(i => projections[2][i]) / Norm(viaY), 0.1);
        Assert.Equal(1, MeanSquare(i => projections[0][i] + projections[1][i] + projections[2][i]) / Norm(viaX, viaW, viaY), 0.1);
    }
}
