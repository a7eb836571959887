using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Calibration;

/// <summary>
/// Runs a graph over the calibration samples on all cores and gives each requested tensor a clipping
/// range. Each worker thread feeds its own observers (no locks); after each pass the workers' observers
/// are merged. Observers that need two passes (histograms) get the samples twice, through the same
/// sessions; memory stays independent of the sample count except for moving-average min/max.
/// </summary>
public static class Calibrator
{
    /// <param name="graph">A graph with one float runtime input.</param>
    /// <param name="tensors">Float values of the graph (inputs or node outputs) to calibrate.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="fill">Writes sample <c>index</c> (the input tensor's contents); called from worker threads.</param>
    /// <param name="createObserver">Makes the observer of the named tensor, e.g. <c>_ =&gt; RangeObservers.Create(method)</c>.</param>
    public static Dictionary<string, CalibratedRange> Run(Graph graph, IReadOnlyCollection<string> tensors, int count,
        Action<int, Span<float>> fill, Func<string, RangeObserver> createObserver, int threads, IProgressReporter? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (graph.Inputs is [{ Type.DataType: not DataType.Float } input])
            throw new QuantuneException(DiagnosticCode.InvalidInput, $"input '{input.Name}' is {DataTypes.Name(input.Type.DataType)}; calibration samples are float");
        foreach (var name in tensors)
        {
            if (!graph.Types.TryGetValue(name, out var type))
                throw new QuantuneException(DiagnosticCode.MissingValue, $"cannot calibrate '{name}': the graph has no such value");
            if (type.DataType != DataType.Float)
                throw new QuantuneException(DiagnosticCode.UnsupportedDataType, $"cannot calibrate '{name}': it is {DataTypes.Name(type.DataType)}, not float");
        }
        var observers = tensors.Distinct().ToDictionary(t => t, createObserver);
        int passes = observers.Values.Select(o => o.Passes).DefaultIfEmpty(1).Max();
        var runner = new ParallelRunner(graph, Math.Min(threads, Math.Max(count, 1)), observers.Keys);
        for (int pass = 0; pass < passes; pass++)
        {
            var active = observers.Where(kv => kv.Value.Passes > pass).ToList();
            if (pass > 0) active.ForEach(kv => kv.Value.NextPass());
            using var perWorker = new ThreadLocal<Dictionary<string, RangeObserver>>(
                () => active.ToDictionary(kv => kv.Key, kv => kv.Value.CreatePeer()), trackAllValues: true);
            runner.Run(count, (i, input) => fill(i, input.Floats), static (_, _) => { }, progress,
                passes == 1 ? "calibrating" : $"calibrating (pass {pass + 1}/{passes})",
                (i, name, value) =>
                {
                    if (perWorker.Value!.TryGetValue(name, out var o)) o.Observe(i, value.Floats);
                });
            // Merging is order-independent (see RangeObserver), so the workers' order here does not matter.
            foreach (var worker in perWorker.Values)
                foreach (var (name, peer) in worker)
                    observers[name].Merge(peer);
        }
        return observers.ToDictionary(kv => kv.Key, kv =>
        {
            var range = kv.Value.Range;
            return new CalibratedRange(range.Min, range.Max, kv.Value.NonFiniteCount, kv.Value.ClippedFraction(range));
        });
    }
}
