using System.Globalization;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// How many of the ranked layers stay fp32: "none", a count "K", a fraction of the layers "P%", or a
/// fraction of the MACs "P%macs" (the most sensitive layers whose MACs together fit in P % of the model's).
/// </summary>
public sealed record Fp32LayerChoice(string Text, int? Count, double? LayerPercent, double? MacPercent)
{
    public const string Help = "none, K (a count), P% (of the layers) or P%macs (of the MACs)";

    public bool IsNone => Count == 0;

    public static Fp32LayerChoice Parse(string text)
    {
        var inv = CultureInfo.InvariantCulture;
        if (text == "none") return new(text, 0, null, null);
        if (int.TryParse(text, NumberStyles.None, inv, out int k)) return new(text, k, null, null);
        if (text.EndsWith("%macs", StringComparison.Ordinal) && Percent(text[..^"%macs".Length]) is { } m) return new(text, null, null, m);
        if (text.EndsWith('%') && Percent(text[..^1]) is { } p) return new(text, null, p, null);
        throw new QuantuneException(DiagnosticCode.UsageError, $"fp32-layers '{text}' is not one of: {Help}");

        double? Percent(string s) => double.TryParse(s, NumberStyles.Float, inv, out var v) && v is >= 0 and <= 100 ? v : null;
    }

    /// <summary>The layers to keep fp32, taken from <paramref name="ranked"/> (most sensitive first).</summary>
    public IReadOnlyList<PlanLayer> Select(IReadOnlyList<PlanLayer> ranked, long totalMacs)
    {
        if (Count is { } k) return ranked.Take(k).ToList();
        if (LayerPercent is { } p) return ranked.Take((int)Math.Round(p / 100 * ranked.Count, MidpointRounding.AwayFromZero)).ToList();
        double budget = MacPercent!.Value / 100 * totalMacs, used = 0;
        var chosen = new List<PlanLayer>();
        foreach (var layer in ranked)
            if (used + layer.Macs <= budget)
            {
                chosen.Add(layer);
                used += layer.Macs;
            }
        return chosen;
    }
}
