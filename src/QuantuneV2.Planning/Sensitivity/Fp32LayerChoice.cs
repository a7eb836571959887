using System.Globalization;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// How many of the ranked layers stay fp32: "none", a count "K", a fraction of the layers "P%", a
/// fraction of the MACs "P%macs" (the most sensitive layers whose MACs together fit in P % of the
/// model's), or "auto": the knee of the noise the <see cref="NoiseModel"/> predicts, within a latency budget
/// ("auto:P%", by default <see cref="DefaultLatencyBudgetPercent"/>; docs/method.md).
/// </summary>
public sealed record Fp32LayerChoice(string Text, int? Count, double? LayerPercent, double? MacPercent, double? LatencyBudgetPercent = null)
{
    /// <summary>How much slower than all-int8 the layers <c>auto</c> keeps fp32 may make the model, in percent.</summary>
    public const double DefaultLatencyBudgetPercent = 10;

    public static readonly string Help = $"none, K (a count), P% (of the layers), P%macs (of the MACs), auto (the knee of the predicted noise, at most {DefaultLatencyBudgetPercent} % slower than all-int8) or auto:P% (at most P % slower)";

    /// <summary>
    /// What one fp32 multiply-add costs in units of an int8 one, in the generated code. Measured 3–4× on the zoo
    /// models (docs/benchmarks.md); it turns <c>auto</c>'s latency budget into a MAC budget.
    /// </summary>
    public const double Fp32MacCost = 3.5;

    /// <summary>
    /// What converting one element at an int8↔fp32 boundary costs in units of an int8 multiply-add. Measured with
    /// the kernel-program profile of the SqueezeNet mixed plan: Dequantize about 0.33 ns per element and Quantize of
    /// a value with more than 3 channels about 0.75 ns (both change the layout), against about 0.006 ns per int8 MAC
    /// (docs/method.md).
    /// </summary>
    public const double BoundaryElementCost = 90;

    public bool IsNone => Count == 0;

    public bool IsAuto => LatencyBudgetPercent is not null;

    public static Fp32LayerChoice Parse(string text)
    {
        var inv = CultureInfo.InvariantCulture;
        if (text == "none") return new(text, 0, null, null);
        if (text == "auto") return new(text, null, null, null, DefaultLatencyBudgetPercent);
        if (text.StartsWith("auto:", StringComparison.Ordinal) && text.EndsWith('%')
            && double.TryParse(text["auto:".Length..^1], NumberStyles.Float, inv, out var budget) && budget is >= 0 and <= 1000)
            return new(text, null, null, null, budget);
        if (int.TryParse(text, NumberStyles.None, inv, out int k)) return new(text, k, null, null);
        if (text.EndsWith("%macs", StringComparison.Ordinal) && Percent(text[..^"%macs".Length]) is { } m) return new(text, null, null, m);
        if (text.EndsWith('%') && Percent(text[..^1]) is { } p) return new(text, null, p, null);
        throw new QuantuneException(DiagnosticCode.UsageError, $"fp32-layers '{text}' is not one of: {Help}");

        double? Percent(string s) => double.TryParse(s, NumberStyles.Float, inv, out var v) && v is >= 0 and <= 100 ? v : null;
    }

    /// <summary>
    /// The knee of a cumulative curve (Kneedle): with gains s_1 … s_n in rank order (for auto, how much
    /// each next fp32 layer lowers the predicted noise, negative gains counted as 0), the k that maximises
    /// C(k)/C(n) − k/n, C(k) = s_1 + … + s_k. When no layer stands out (equal gains) it is 0.
    /// </summary>
    public static int Knee(IReadOnlyList<double> scoresByRank)
    {
        int n = scoresByRank.Count;
        double total = scoresByRank.Sum(), sum = 0, best = 0;
        int knee = 0;
        if (n == 0 || total <= 0) return 0;
        for (int k = 1; k <= n; k++)
        {
            sum += scoresByRank[k - 1];
            double gain = sum / total - (double)k / n;
            if (gain > best + 1e-12) (best, knee) = (gain, k);
        }
        return knee;
    }

    /// <summary>The layers to keep fp32, taken from <paramref name="ranked"/> (most sensitive first).</summary>
    /// <param name="predictedNsr">For auto: the predicted output NSR with the first k ranked layers fp32, k = 0 … n.</param>
    /// <param name="boundaryElements">For auto: the elements the int8↔fp32 boundaries convert per sample with these layers fp32; none: boundaries are free.</param>
    public IReadOnlyList<PlanLayer> Select(IReadOnlyList<PlanLayer> ranked, long totalMacs, IReadOnlyList<double>? predictedNsr = null,
        Func<IReadOnlyList<PlanLayer>, long>? boundaryElements = null)
    {
        if (Count is { } k) return ranked.Take(k).ToList();
        if (LayerPercent is { } p) return ranked.Take((int)Math.Round(p / 100 * ranked.Count, MidpointRounding.AwayFromZero)).ToList();
        if (LatencyBudgetPercent is { } latency)
        {
            var nsr = predictedNsr ?? throw new InvalidOperationException("auto needs the predicted noise");
            var knee = ranked.Take(Knee([.. ranked.Select((_, i) => Math.Max(0, nsr[i] - nsr[i + 1]))]));
            // In int8 MACs' time: each fp32 MAC adds (Fp32MacCost − 1), each element converted beyond all-int8's own
            // input and output BoundaryElementCost, to a model that takes totalMacs.
            long allInt8 = boundaryElements?.Invoke([]) ?? 0;
            double Slowdown(IReadOnlyList<PlanLayer> fp32) => fp32.Sum(l => l.Macs) * (Fp32MacCost - 1)
                + (boundaryElements is null ? 0 : (boundaryElements(fp32) - allInt8) * BoundaryElementCost);
            return WithinBudget(knee, Slowdown, latency / 100 * totalMacs);
        }
        return WithinBudget(ranked, fp32 => fp32.Sum(l => l.Macs), MacPercent!.Value / 100 * totalMacs);
    }

    /// <summary>Going down the ranking, each layer that keeps the cost of the layers taken so far within <paramref name="budget"/>.</summary>
    static List<PlanLayer> WithinBudget(IEnumerable<PlanLayer> ranked, Func<IReadOnlyList<PlanLayer>, double> cost, double budget)
    {
        var chosen = new List<PlanLayer>();
        foreach (var layer in ranked)
        {
            chosen.Add(layer);
            if (cost(chosen) > budget) chosen.RemoveAt(chosen.Count - 1);
        }
        return chosen;
    }
}
