namespace QuantuneV2.Planning.Sensitivity;

/// <summary>Weights of the linear sensitivity score over the normalised metrics (docs/method.md).</summary>
public sealed record ScoreWeights(double WeightSqnr, double OutputSqnr, double SqnrDelta, double Mse)
{
    /// <summary>Chosen by benchmarks/score-weights.sh (docs/method.md): the best mean rank correlation with the one-at-a-time baseline.</summary>
    public static ScoreWeights Default { get; } = new(0.25, 0, 0.75, 0);
}

/// <summary>A layer's metrics, its score (higher = more sensitive) and its rank (1 = most sensitive).</summary>
public sealed record RankedLayer(LayerMetrics Metrics, double Score, int Rank);

/// <summary>
/// The linear model: each metric becomes a "badness" (−weight SQNR, −output SQNR, +SQNR delta,
/// log10 MSE), min-max normalised to [0, 1] over the layers, and the score is their weighted sum.
/// Ranks follow the score, ties in graph order. O(n) in the layers after the two inferences.
/// </summary>
public static class SensitivityRanking
{
    /// <summary>SQNRs beyond ±100 dB (including ±∞) count as ±100 dB: noise that small does not rank.</summary>
    public const double SqnrCapDb = 100;

    public static IReadOnlyList<RankedLayer> Rank(IReadOnlyList<LayerMetrics> layers, ScoreWeights weights)
    {
        var badness = new Func<LayerMetrics, double>[]
        {
            m => -Cap(m.WeightSqnrDb),
            m => -Cap(m.OutputSqnrDb),
            m => Cap(m.InputSqnrDb) - Cap(m.OutputSqnrDb),
            m => Math.Log10(Math.Max(m.Mse, 1e-30)),
        };
        double[] w = [weights.WeightSqnr, weights.OutputSqnr, weights.SqnrDelta, weights.Mse];
        var scores = new double[layers.Count];
        for (int k = 0; k < badness.Length; k++)
        {
            var b = layers.Select(badness[k]).ToArray();
            double lo = b.DefaultIfEmpty(0).Min(), hi = b.DefaultIfEmpty(0).Max();
            for (int i = 0; i < b.Length; i++) scores[i] += w[k] * (hi > lo ? (b[i] - lo) / (hi - lo) : 0);
        }
        var order = Enumerable.Range(0, layers.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var rank = new int[layers.Count];
        for (int r = 0; r < order.Length; r++) rank[order[r]] = r + 1;
        return layers.Select((m, i) => new RankedLayer(m, scores[i], rank[i])).ToList();
    }

    private static double Cap(double db) => double.IsNaN(db) ? 0 : Math.Clamp(db, -SqnrCapDb, SqnrCapDb);
}
