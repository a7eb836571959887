using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// Measured accuracy against the number of fp32 layers (or blocks) in rank order, on a labelled validation
/// set: k = 0, 1, 2, 4, 8, … n and the plan's own k, so O(log n) evaluations. The plan's point is the plan itself,
/// which is not a prefix of the ranking when a budget skipped layers (P%macs, auto). Each point is the mixed
/// model's top-1 and its agreement and output SQNR against the fp32 model over the same samples.
/// </summary>
public static class MeasuredCurve
{
    /// <param name="byRank">The units to keep fp32, most sensitive first: each the names of its layers.</param>
    /// <param name="chosen">The plan's own count of fp32 units, always measured (on the plan's own layers).</param>
    public static PlanValidation Run(Graph fused, QuantizationPlan plan, IReadOnlyList<IReadOnlyList<string>> byRank, int chosen, Dataset validation, int threads, IProgressReporter? progress)
    {
        var ks = new SortedSet<int> { 0, byRank.Count, chosen };
        for (int k = 1; k < byRank.Count; k *= 2) ks.Add(k);
        var points = ks.Select(k =>
        {
            var r = Evaluator.Compare(fused, PlanApplication.Lower(fused, k == chosen ? plan : WithFirstFp32(plan, byRank, k), new PassLog()), validation, null, threads, progress);
            return new PlanValidationPoint(k, r.Candidate.Top1, r.Agreement, r.SqnrDb);
        }).ToList();
        return new PlanValidation(Path.GetFileName(validation.SpecPath), validation.Count, points);
    }

    /// <summary>The plan with the layers of the first k units fp32 and the other ranked layers int8, whatever it chose; unranked layers keep their precision.</summary>
    internal static QuantizationPlan WithFirstFp32(QuantizationPlan plan, IReadOnlyList<IReadOnlyList<string>> byRank, int k)
    {
        var ranked = byRank.SelectMany(u => u).ToHashSet(StringComparer.Ordinal);
        var fp32 = byRank.Take(k).SelectMany(u => u).ToHashSet(StringComparer.Ordinal);
        return plan with { Layers = [.. plan.Layers.Select(l => !ranked.Contains(l.Name) ? l : l with { Precision = fp32.Contains(l.Name) ? PlanLayer.Fp32 : PlanLayer.Int8 })] };
    }
}
