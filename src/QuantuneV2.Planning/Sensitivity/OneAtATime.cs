using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The baseline the method replaces: quantize one layer at a time (all others fp32) and measure the
/// model output's SQNR against fp32 over the calibration samples — n + 1 sets of inferences for n layers.
/// The lower a layer's SQNR, the more sensitive it is.
/// </summary>
public static class OneAtATime
{
    /// <returns>The model output SQNR (dB) with only that layer int8, per plan layer.</returns>
    public static IReadOnlyList<double> OutputSqnrDb(Graph fused, QuantizationPlan plan, int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null)
    {
        var reference = new float[count][];
        new ParallelRunner(fused, threads).Run(count, (i, input) => fill(i, input.Floats), (i, outputs) => reference[i] = outputs[0].Floats.ToArray(), progress, "one-at-a-time: fp32");
        var result = new double[plan.Layers.Count];
        for (int k = 0; k < plan.Layers.Count; k++)
        {
            var only = plan with { Layers = [.. plan.Layers.Select((l, j) => l with { Precision = j == k ? PlanLayer.Int8 : PlanLayer.Fp32 })] };
            var graph = PlanApplication.Lower(fused, only, new PassLog());
            var noise = new SqnrAccumulator[count];
            new ParallelRunner(graph, threads).Run(count, (i, input) => fill(i, input.Floats), (i, outputs) => noise[i] = SqnrAccumulator.Of(reference[i], outputs[0].Floats),
                progress, $"one-at-a-time: layer {k + 1}/{plan.Layers.Count}");
            result[k] = SqnrAccumulator.Sum(noise).Decibels;
        }
        return result;
    }

    /// <summary>Ranks by output SQNR, lowest first (ties in graph order).</summary>
    public static List<PlanLayer> Rank(IReadOnlyList<PlanLayer> layers, IReadOnlyList<double> outputSqnrDb)
    {
        var order = Enumerable.Range(0, layers.Count).OrderBy(i => outputSqnrDb[i]).ThenBy(i => i).ToArray();
        var rank = new int[layers.Count];
        for (int r = 0; r < order.Length; r++) rank[order[r]] = r + 1;
        return [.. layers.Select((l, i) => l with { Rank = rank[i] })];
    }
}
