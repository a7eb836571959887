using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The fewest fp32 layers (or blocks), taken in rank order, whose mixed model reaches a top-1 target on a
/// validation set: a binary search over k, so O(log n) evaluations (top-1 is assumed to grow with k; the
/// steps record what was measured).
/// </summary>
public static class AccuracySearch
{
    /// <param name="byRank">The units to keep fp32, most sensitive first: each the names of its layers.</param>
    public static PlanSearch Run(Graph fused, QuantizationPlan plan, IReadOnlyList<IReadOnlyList<string>> byRank, Dataset validation, double target, int threads, IProgressReporter? progress)
    {
        var steps = new List<PlanSearchStep>();
        var measured = new Dictionary<int, double>();
        double Top1(int k)
        {
            if (measured.TryGetValue(k, out var cached)) return cached;
            double top1 = Evaluator.Run(PlanApplication.Lower(fused, MeasuredCurve.WithFirstFp32(plan, byRank, k), new PassLog()), validation, null, threads, progress).Top1;
            steps.Add(new PlanSearchStep(k, top1));
            return measured[k] = top1;
        }
        int lo = 0, hi = byRank.Count;
        bool reached = Top1(hi) >= target;
        if (reached)
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (Top1(mid) >= target) hi = mid;
                else lo = mid + 1;
            }
        return new PlanSearch(Path.GetFileName(validation.SpecPath), validation.Count, target, hi, reached, steps);
    }
}
