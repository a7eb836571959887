using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;
using QuantuneV2.Tests.Planning;

namespace QuantuneV2.Tests.Sensitivity;

public class RoundingNoiseTests
{
    [Fact]
    public void RoundingAndClippingNoiseOfHandComputedValues()
    {
        // y = Relu(x) stored as uint8 with scale 0.5, zero point 0: 0.3 → 0.5, 1 → 1, 2.6 → 2.5, 200 → 127.5 (clipped).
        var graph = Graph.Create("relu", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, new Shape([Dim.Of(1), Dim.Of(4)])))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [new Node("r", "Relu", ["x"], ["y"])], []);
        float[] x = [0.3f, 1f, 2.6f, 200f];
        var energy = RoundingNoise.Measure(graph, [new PlanTensor("y", 0, 127.5f, 0.5f, 0)], QuantType.UInt8, 2, (_, d) => x.CopyTo(d), threads: 2)["y"];
        double signal = x.Sum(v => (double)v * v), noise = Math.Pow(0.5 - (double)0.3f, 2) + Math.Pow((double)2.6f - 2.5, 2) + 72.5 * 72.5;
        Assert.Equal(2 * signal, energy.Signal, 6);
        Assert.Equal(2 * noise, energy.Noise, 6);
    }

    [Fact]
    public void ThePlanRecordsRoundingAndPredictionsWithTheAnalysis()
    {
        var result = PlanFixture.Plan(new PlanOptions { Fp32Layers = "3" });
        var plan = result.Plan;
        Assert.All(plan.Tensors, t => Assert.True(t.RoundingSqnrDb is > 0 and < 100, $"{t.Name}: {t.RoundingSqnrDb}"));
        var curve = plan.PredictedSqnrDb!;
        Assert.Equal(plan.Layers.Count + 1, curve.Count);
        Assert.Equal(curve[3], plan.Summary.PredictedSqnrDb);
        Assert.True(curve[3] > curve[0], $"keeping 3 layers fp32 should lower the predicted noise: {curve[0]:F2} → {curve[3]:F2} dB");
        // The prediction for all-int8 follows the measured noise at the model's output (the last layer's output).
        Assert.InRange(curve[0], plan.Layers[^1].Sensitivity!.OutputSqnrDb - 1, plan.Layers[^1].Sensitivity!.OutputSqnrDb + 1);
        Assert.Equal(double.PositiveInfinity, curve[^1]);
    }

    [Fact]
    public void ScoreSelectionRanksByTheScoreAlone()
    {
        var plan = PlanFixture.Plan(new PlanOptions { Fp32Layers = "3", Selection = "score" }).Plan;
        var byScore = plan.Layers.OrderByDescending(l => l.Sensitivity!.Score).Select(l => l.Name).ToList();
        Assert.Equal(byScore, plan.Layers.OrderBy(l => l.Rank).Select(l => l.Name));
    }
}
