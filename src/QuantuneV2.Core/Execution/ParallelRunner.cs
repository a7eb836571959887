using System.Diagnostics;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// Runs a graph over many independent samples on all cores: each worker owns a session and an input
/// tensor (no sharing, no locks on the hot path) and pulls the next sample index from a counter.
/// </summary>
public static class ParallelRunner
{
    /// <param name="graph">A graph with one runtime input; it is bound to batch 1.</param>
    /// <param name="fill">Writes sample <c>index</c> into the worker's input tensor (must be thread-safe).</param>
    /// <param name="consume">Receives the outputs of sample <c>index</c> on the worker's thread; copy what you keep.</param>
    public static void Run(Graph graph, int count, int threads, Action<int, Tensor> fill, Action<int, IReadOnlyList<Tensor>> consume,
        IProgressReporter? progress = null, string stage = "running", IEnumerable<string>? observe = null, Action<int, string, Tensor>? observer = null)
    {
        if (graph.Inputs.Length != 1)
            throw new QuantuneException(DiagnosticCode.InvalidInput, $"the model has {graph.Inputs.Length} runtime inputs; data sets feed exactly one");
        var bound = graph.WithBatch(1);
        threads = Math.Clamp(threads, 1, Math.Max(1, count));
        int next = -1, done = 0;
        var clock = Stopwatch.StartNew();
        var observeList = observe?.ToList();
        Exception? failure = null;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            try
            {
                var session = new Session(bound, observeList);
                var input = Tensor.Zeros(bound.Inputs[0].Type.DataType, bound.Inputs[0].Type.Shape!.ToInts());
                int index;
                while ((index = Interlocked.Increment(ref next)) < count && Volatile.Read(ref failure) is null)
                {
                    fill(index, input);
                    var outputs = observer is null ? session.Run([input]) : session.Run([input], (name, value) => observer(index, name, value));
                    consume(index, outputs);
                    int d = Interlocked.Increment(ref done);
                    progress?.Report(new ProgressInfo(stage, d, count, clock.Elapsed));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }) { IsBackground = true, Name = "quantune-worker" }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
