using System.Diagnostics;
using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Data.Evaluation;

/// <summary>Runs a model over a labelled data set on all cores and scores top-1/top-5 (ties rank the lower class first).</summary>
public static class Evaluator
{
    public static EvaluationResult Run(Graph graph, Dataset data, int? limit = null, int? threads = null, IProgressReporter? progress = null) =>
        Run(graph, data, limit, threads, progress, "evaluating", null);

    /// <summary>
    /// Evaluates <paramref name="candidate"/> (e.g. a quantized model) next to its <paramref name="reference"/>
    /// on the same samples: both accuracies, how often their top-1 agree, and the candidate's output SQNR.
    /// </summary>
    public static ComparisonResult Compare(Graph reference, Graph candidate, Dataset data, int? limit = null, int? threads = null, IProgressReporter? progress = null)
    {
        // The reference outputs are kept (count × output size floats) so the candidate can be compared per sample.
        var expected = new float[Count(data, limit)][];
        var r = Run(reference, data, limit, threads, progress, "evaluating fp32", (i, y) => expected[i] = y.ToArray());
        var noise = new SqnrAccumulator[r.Count];
        var c = Run(candidate, data, limit, threads, progress, "evaluating quantized", (i, y) => noise[i] = SqnrAccumulator.Of(expected[i], y));
        var total = SqnrAccumulator.Sum(noise);
        int agree = Enumerable.Range(0, r.Count).Count(i => r.Predictions[i] == c.Predictions[i]);
        return new ComparisonResult(r, c, r.Count == 0 ? 0 : (double)agree / r.Count, total.Decibels);
    }

    private static int Count(Dataset data, int? limit) => Math.Min(limit ?? data.Count, data.Count);

    private static EvaluationResult Run(Graph graph, Dataset data, int? limit, int? threads, IProgressReporter? progress, string stage, Action<int, ReadOnlySpan<float>>? onOutput)
    {
        if (!data.HasLabels) throw DatasetErrors.Spec(data.SpecPath, "has no labels; evaluation needs a labelled data set");
        if (graph.Inputs.Length != 1) throw new QuantuneException(DiagnosticCode.InvalidInput, $"the model has {graph.Inputs.Length} runtime inputs; evaluation feeds exactly one");
        data.CheckModelInput(graph.Inputs[0].Name, graph.Inputs[0].Type.Shape ?? Shape.Scalar);
        int count = Count(data, limit);
        int workers = threads ?? Environment.ProcessorCount;
        var predictions = new int[count];
        int top1 = 0, top5 = 0;
        var clock = Stopwatch.StartNew();
        var runner = new ParallelRunner(graph, Math.Clamp(workers, 1, Math.Max(count, 1)));
        runner.Run(count,
            (i, input) => data.LoadInput(i, input.Floats),
            (i, outputs) =>
            {
                var scores = outputs[0].Floats;
                int label = data.Label(i);
                predictions[i] = TopK.ArgMax(scores);
                if (predictions[i] == label) Interlocked.Increment(ref top1);
                if (TopK.Contains(scores, label, 5)) Interlocked.Increment(ref top5);
                onOutput?.Invoke(i, scores);
            }, progress, stage);
        return new EvaluationResult(count, top1, top5, predictions, clock.Elapsed, runner.Threads);
    }
}
