namespace QuantuneV2.Core.Analysis;

/// <summary>
/// Class ranking with one tie rule everywhere: equal scores rank the lower class index first, so
/// top-1 comparisons between executors (and int8 logits that tie) are exact and reproducible.
/// </summary>
public static class TopK
{
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best] || (float.IsNaN(scores[best]) && !float.IsNaN(scores[i]))) best = i;
        return best;
    }

    /// <summary>Whether <paramref name="label"/> is among the <paramref name="k"/> best-ranked classes.</summary>
    public static bool Contains(ReadOnlySpan<float> scores, int label, int k)
    {
        if ((uint)label >= (uint)scores.Length) return false;
        float v = scores[label];
        // Classes ranked before the label: strictly higher score, or an equal score at a lower index.
        int ahead = 0;
        for (int i = 0; i < scores.Length && ahead < k; i++)
            if (scores[i] > v || (scores[i] == v && i < label)) ahead++;
        return ahead < k;
    }
}
