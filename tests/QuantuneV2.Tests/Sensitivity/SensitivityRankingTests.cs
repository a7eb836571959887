using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tests.Sensitivity;

public class SensitivityRankingTests
{
    private static LayerMetrics Layer(string name, double weight, double input, double output, double mse, long macs = 100) =>
        new(name, "FusedConv", macs, weight, input, output, mse, mse);

    [Fact]
    public void ScoreIsTheWeightedSumOfMinMaxNormalisedBadness()
    {
        // badness: −weight SQNR, −output SQNR, delta (input − output), log10 MSE.
        var layers = new[]
        {
            Layer("a", 40, 30, 20, 1e-2), // badness (−40, −20, 10, −2)
            Layer("b", 30, 20, 20, 1e-4), // badness (−30, −20,  0, −4)
            Layer("c", 50, 40, 30, 1e-3), // badness (−50, −30, 10, −3)
        };
        var ranked = SensitivityRanking.Rank(layers, new ScoreWeights(1, 2, 3, 4));
        // normalised: a (0.5, 1, 1, 1), b (1, 1, 0, 0), c (0, 0, 1, 0.5)
        Assert.Equal(1 * 0.5 + 2 * 1 + 3 * 1 + 4 * 1, ranked[0].Score, 12);
        Assert.Equal(1 * 1 + 2 * 1 + 0 + 0, ranked[1].Score, 12);
        Assert.Equal(0 + 0 + 3 * 1 + 4 * 0.5, ranked[2].Score, 12);
        Assert.Equal([1, 3, 2], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void InfiniteSqnrIsCappedAndTiesKeepGraphOrder()
    {
        var layers = new[] { Layer("pool", double.PositiveInfinity, 20, 20, 0), Layer("concat", double.PositiveInfinity, 20, 20, 0) };
        var ranked = SensitivityRanking.Rank(layers, ScoreWeights.Default);
        Assert.All(ranked, r => Assert.Equal(0, r.Score));
        Assert.Equal([1, 2], ranked.Select(r => r.Rank));
        var noiseless = Layer("exact", double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, 0);
        Assert.True(double.IsNaN(noiseless.SqnrDeltaDb)); // ∞ − ∞: the ranking caps before subtracting
        Assert.All(SensitivityRanking.Rank([noiseless, Layer("noisy", 30, 30, 10, 1)], ScoreWeights.Default), r => Assert.False(double.IsNaN(r.Score)));
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("0", 0)]
    [InlineData("2", 2)]
    [InlineData("50%", 2)]
    [InlineData("10%", 0)]
    [InlineData("100%", 4)]
    public void ChoiceTakesTheMostSensitiveLayers(string text, int expected)
    {
        var ranked = Enumerable.Range(1, 4).Select(r => new PlanLayer($"l{r}", "FusedConv", 10, PlanLayer.Int8, "quantized", r)).ToList();
        var chosen = Fp32LayerChoice.Parse(text).Select(ranked, 40);
        Assert.Equal(ranked.Take(expected).Select(l => l.Name), chosen.Select(l => l.Name));
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0 }, 0)]
    [InlineData(new[] { 0.9, 0.1, 0.1, 0.1 }, 1)]
    [InlineData(new[] { 0.9, 0.8, 0.1, 0.1, 0.1, 0.1 }, 2)]
    [InlineData(new double[0], 0)]
    public void AutoIsTheKneeOfTheCumulativeScores(double[] scores, int knee) => Assert.Equal(knee, Fp32LayerChoice.Knee(scores));

    [Fact]
    public void AutoNeedsTheQuantuneV2Scores() =>
        Assert.Equal(DiagnosticCode.UsageError, Assert.Throws<QuantuneException>(() => new PlanOptions { Fp32Layers = "auto", Baseline = "random" }.Validate()).Code);

    [Fact]
    public void MacBudgetSkipsLayersThatDoNotFit()
    {
        long[] macs = [60, 30, 10, 5];
        var ranked = macs.Select((m, i) => new PlanLayer($"l{i}", "FusedConv", m, PlanLayer.Int8, "quantized", i + 1)).ToList();
        // 40 % of 105 MACs = 42: l0 (60) does not fit, l1 (30) and l2 (10) do, l3 (5) would exceed.
        Assert.Equal(["l1", "l2"], Fp32LayerChoice.Parse("40%macs").Select(ranked, 105).Select(l => l.Name));
    }

    [Theory]
    [InlineData("auto", new[] { "l1", "l2" })]
    [InlineData("auto:0%", new string[0])]
    [InlineData("auto:75%", new[] { "l0" })]
    [InlineData("auto:1000%", new[] { "l0", "l1", "l2" })]
    public void AutoTakesTheKneeWithinItsLatencyBudget(string text, string[] expected)
    {
        long[] macs = [30, 2, 1, 50, 17];
        var ranked = macs.Select((m, i) => new PlanLayer($"l{i}", "FusedConv", m, PlanLayer.Int8, "quantized", i + 1)).ToList();
        // The first three fp32 layers each remove a third of the noise, the last two nothing: the knee is 3.
        double[] nsr = [3, 2, 1, 0, 0, 0];
        // An fp32 MAC costs Fp32MacCost int8 MACs: at the default 10 %, 100 × 0.10 / 2.5 = 4 MACs may go fp32,
        // so l0 (30) is skipped; at 75 %, 30 MACs: l0 fills it.
        Assert.Equal(expected, Fp32LayerChoice.Parse(text).Select(ranked, 100, nsr).Select(l => l.Name));
    }

    [Fact]
    public void AutoCountsWhatItsBoundariesConvert()
    {
        var ranked = Enumerable.Range(0, 5).Select(i => new PlanLayer($"l{i}", "FusedConv", 1000, PlanLayer.Int8, "quantized", i + 1)).ToList();
        // The knee is 3, as in the test above.
        double[] nsr = [3, 2, 1, 0, 0, 0];
        // All-int8 converts 500 elements (its input and output); l0 fp32 adds 100 more, worth 100 × BoundaryElementCost
        // = 9 000 int8 MACs, plus its own 1000 × 2.5: 11 500, where the default 10 % of 100 000 MACs allows 10 000.
        long Elements(IReadOnlyList<PlanLayer> fp32) => 500 + (fp32.Any(l => l.Name == "l0") ? 100 : 0);
        Assert.Equal(["l1", "l2"], Fp32LayerChoice.Parse("auto").Select(ranked, 100_000, nsr, Elements).Select(l => l.Name));
        Assert.Equal(["l0", "l1", "l2"], Fp32LayerChoice.Parse("auto").Select(ranked, 100_000, nsr).Select(l => l.Name));
    }

    [Theory]
    [InlineData("all")]
    [InlineData("auto:")]
    [InlineData("auto:ten%")]
    [InlineData("auto:-5%")]
    [InlineData("auto:5")]
    [InlineData("-1")]
    [InlineData("101%")]
    [InlineData("5%flops")]
    public void BadChoiceIsAUsageError(string text) =>
        Assert.Equal(DiagnosticCode.UsageError, Assert.Throws<QuantuneException>(() => Fp32LayerChoice.Parse(text)).Code);

    [Fact]
    public void PositionBaselineRanksTheEndsFirst()
    {
        var layers = Enumerable.Range(0, 5).Select(i => new PlanLayer($"l{i}", "FusedConv", 1, PlanLayer.Int8, "quantized")).ToList();
        var ranked = BaselineRanking.Apply(layers, "position", 0);
        Assert.Equal(["l0", "l4", "l1", "l3", "l2"], ranked.OrderBy(l => l.Rank).Select(l => l.Name));
    }

    [Fact]
    public void RandomBaselineDependsOnlyOnTheSeed()
    {
        var layers = Enumerable.Range(0, 20).Select(i => new PlanLayer($"l{i}", "FusedConv", 1, PlanLayer.Int8, "quantized")).ToList();
        var a = BaselineRanking.Apply(layers, "random", 1).Select(l => l.Rank);
        Assert.Equal(a, BaselineRanking.Apply(layers, "random", 1).Select(l => l.Rank));
        Assert.NotEqual(a, BaselineRanking.Apply(layers, "random", 2).Select(l => l.Rank));
        Assert.Equal(Enumerable.Range(1, 20), a.Select(r => r!.Value).Order());
    }
}

public class RankCorrelationTests
{
    [Fact]
    public void SpearmanOfHandComputedRankings()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman([1, 2, 3, 4], [1, 2, 3, 4]));
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]));
        // d² = 1 + 1 + 0 + 0 = 2: 1 − 6·2 / (4·15) = 0.8
        Assert.Equal(0.8, RankCorrelation.Spearman([1, 2, 3, 4], [2, 1, 3, 4]), 12);
    }

    [Fact]
    public void WeightGridCoversTheSimplexAndFindsAPerfectPredictor()
    {
        // The reference ranks by weight SQNR alone: (1, 0, 0, 0) reaches ρ = 1 (others may tie), and the grid is sorted.
        var metrics = new[] { 30.0, 20.0, 40.0, 25.0 }.Select((w, i) => new LayerMetrics($"l{i}", "Conv", 1, w, 20 + i, 10 + 3 * i, 1e-3 * (4 - i), 1e-3)).ToList();
        var grid = ScoreWeightFit.Grid(metrics, [3, 1, 4, 2]);
        Assert.Equal(35, grid.Count);
        Assert.Equal(1.0, grid[0].Spearman, 12);
        Assert.Equal(1.0, grid.Single(g => g.Weights == new ScoreWeights(1, 0, 0, 0)).Spearman, 12);
        Assert.True(grid.Zip(grid.Skip(1)).All(p => p.First.Spearman >= p.Second.Spearman));
        Assert.All(grid, g => Assert.Equal(1.0, g.Weights.WeightSqnr + g.Weights.OutputSqnr + g.Weights.SqnrDelta + g.Weights.Mse, 12));
    }
}
