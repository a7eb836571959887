namespace QuantuneV2.Planning.Sensitivity;

/// <summary>Spearman's rank correlation of two rankings of the same items (1 = identical order, −1 = reversed).</summary>
public static class RankCorrelation
{
    /// <param name="a">Rank of each item (1..n, no ties).</param>
    /// <param name="b">Rank of each item in the other ranking.</param>
    public static double Spearman(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} and {b.Count} ranks");
        int n = a.Count;
        if (n < 2) return 1;
        double d2 = 0;
        for (int i = 0; i < n; i++) d2 += (double)(a[i] - b[i]) * (a[i] - b[i]);
        return 1 - 6 * d2 / ((double)n * ((double)n * n - 1));
    }
}
