using System.Diagnostics;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// Runs a graph over many independent samples on all cores: each worker owns a session and an input
/// tensor (no sharing, no locks on the hot path) and pulls the next sample index from a counter.
/// Sessions are created once, on the workers, and reused by every <see cref="Run(int, Action{int, Tensor}, Action{int, IReadOnlyList{Tensor}}, IProgressReporter?, string, Action{int, string, Tensor}?)"/>.
/// </summary>
public sealed class ParallelRunner
{
    private readonly Graph _bound;
    private readonly List<string>? _observe;
    private readonly (Session Session, Tensor Input)?[] _workers;

    /// <param name="graph">A graph with one runtime input; it is bound to batch 1.</param>
    /// <param name="observe">Values the observer of <c>Run</c> sees (see <see cref="Session"/>).</param>
    public ParallelRunner(Graph graph, int threads, IEnumerable<string>? observe = null)
    {
        if (graph.Inputs.Length != 1)
            throw new QuantuneException(DiagnosticCode.InvalidInput, $"the model has {graph.Inputs.Length} runtime inputs; data sets feed exactly one");
        _bound = graph.WithBatch(1);
        _observe = observe?.ToList();
        _workers = new (Session, Tensor)?[Math.Max(1, threads)];
    }

    public int Threads => _workers.Length;

    /// <summary>Runs <paramref name="graph"/> once over <paramref name="count"/> samples (sessions are not kept).</summary>
    public static void Run(Graph graph, int count, int threads, Action<int, Tensor> fill, Action<int, IReadOnlyList<Tensor>> consume, IProgressReporter? progress = null) =>
        new ParallelRunner(graph, Math.Min(threads, Math.Max(count, 1))).Run(count, fill, consume, progress);

    /// <param name="fill">Writes sample <c>index</c> into the worker's input tensor (must be thread-safe).</param>
    /// <param name="consume">Receives the outputs of sample <c>index</c> on the worker's thread; copy what you keep.</param>
    public void Run(int count, Action<int, Tensor> fill, Action<int, IReadOnlyList<Tensor>> consume,
        IProgressReporter? progress = null, string stage = "running", Action<int, string, Tensor>? observer = null)
    {
        int next = -1, done = 0;
        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        var threads = Enumerable.Range(0, Math.Min(_workers.Length, Math.Max(count, 1))).Select(w => new Thread(() =>
        {
            try
            {
                var (session, input) = _workers[w] ??= (new Session(_bound, _observe),
                    Tensor.Zeros(_bound.Inputs[0].Type.DataType, _bound.Inputs[0].Type.Shape!.ToInts()));
                int index;
                while ((index = Interlocked.Increment(ref next)) < count && Volatile.Read(ref failure) is null)
                {
                    fill(index, input);
                    var outputs = observer is null ? session.Run([input]) : session.Run([input], (name, value) => observer(index, name, value));
                    consume(index, outputs);
                    progress?.Report(new ProgressInfo(stage, Interlocked.Increment(ref done), count, clock.Elapsed));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }) { IsBackground = true, Name = "quantune-worker" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
