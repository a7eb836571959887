namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The experiment behind the default score weights: every weight vector on a grid (steps of 0.25,
/// summing to 1) is scored by the Spearman correlation of its ranking with a reference ranking (the
/// one-at-a-time baseline's), and the results are listed best first.
/// </summary>
public static class ScoreWeightFit
{
    public static IReadOnlyList<(ScoreWeights Weights, double Spearman)> Grid(IReadOnlyList<LayerMetrics> metrics, IReadOnlyList<int> referenceRanks)
    {
        var results = new List<(ScoreWeights, double)>();
        for (int a = 0; a <= 4; a++)
            for (int b = 0; a + b <= 4; b++)
                for (int c = 0; a + b + c <= 4; c++)
                {
                    var w = new ScoreWeights(a / 4.0, b / 4.0, c / 4.0, (4 - a - b - c) / 4.0);
                    results.Add((w, RankCorrelation.Spearman([.. SensitivityRanking.Rank(metrics, w).Select(r => r.Rank)], referenceRanks)));
                }
        return [.. results.OrderByDescending(r => r.Item2).ThenBy(r => r.Item1 == ScoreWeights.Default ? 0 : 1)];
    }
}
