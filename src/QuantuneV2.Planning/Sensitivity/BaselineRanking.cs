namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// Rankings the method is compared with: "random" (a seeded shuffle) and "position" (the first and the
/// last layers first, alternating inwards, the usual rule of thumb of keeping the ends in fp32).
/// </summary>
public static class BaselineRanking
{
    public static List<PlanLayer> Apply(IReadOnlyList<PlanLayer> layers, string baseline, int seed)
    {
        int n = layers.Count;
        var order = Enumerable.Range(0, n).ToArray();
        if (baseline == "random") new Random(seed).Shuffle(order);
        else order = [.. Enumerable.Range(0, n).Select(i => i % 2 == 0 ? i / 2 : n - 1 - i / 2)];
        var rank = new int[n];
        for (int r = 0; r < n; r++) rank[order[r]] = r + 1;
        return [.. layers.Select((l, i) => l with { Rank = rank[i] })];
    }
}
