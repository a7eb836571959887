using QuantuneV2.Core.Analysis;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.Planning;

public class ComparisonTests
{
    [Fact]
    public void SqnrIsSignalOverNoiseEnergyInDecibels()
    {
        var a = SqnrAccumulator.Of([3f, 4f], [3f, 3f]);
        Assert.Equal((25.0, 1.0), (a.Signal, a.Noise));
        Assert.Equal(10 * Math.Log10(25), a.Decibels, 12);
        var sum = a + SqnrAccumulator.Of([1f], [-1f]);
        Assert.Equal(10 * Math.Log10(26.0 / 5.0), sum.Decibels, 12);
        Assert.Equal(double.PositiveInfinity, SqnrAccumulator.Of([1f, 2f], [1f, 2f]).Decibels);
        Assert.Equal(double.NegativeInfinity, SqnrAccumulator.Of([0f], [1f]).Decibels);
        Assert.True(double.IsNaN(SqnrAccumulator.Of([0f], [0f]).Decibels));
    }

    [Fact]
    public void ModelAgainstItselfAgreesEverywhereWithoutNoise()
    {
        var graph = OnnxModel.Load(SharedData.Require(PlanFixture.Model));
        var data = Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-test.json"));
        var c = Evaluator.Compare(graph, graph, data, limit: 40);
        Assert.Equal(1.0, c.Agreement);
        Assert.Equal(double.PositiveInfinity, c.SqnrDb);
        Assert.Equal(c.Reference.Predictions, c.Candidate.Predictions);
    }

    [Fact]
    public void QuantizedModelAgreesWithFp32AndHasMeasurableNoise()
    {
        var result = PlanFixture.Plan();
        var data = Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-test.json"));
        var c = Evaluator.Compare(OnnxModel.Load(PlanFixture.ModelPath), result.Quantized, data, limit: 200);
        Assert.InRange(c.Agreement, 0.97, 1.0);
        Assert.InRange(c.SqnrDb, 20, 80);
        int agree = Enumerable.Range(0, 200).Count(i => c.Reference.Predictions[i] == c.Candidate.Predictions[i]);
        Assert.Equal(agree / 200.0, c.Agreement);
    }
}
