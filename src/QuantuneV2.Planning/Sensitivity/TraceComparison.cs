using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>The energies of one fp32 value and of its int8 trace's error, over every element of every sample.</summary>
public readonly record struct ValueNoise(SqnrAccumulator Energy, long Elements)
{
    public double SqnrDb => Energy.Decibels;
    public double Mse => Elements == 0 ? 0 : Energy.Noise / Elements;

    /// <summary>Σ (y − ŷ)² / Σ y² (0 for a zero signal).</summary>
    public double NormalizedMse => Energy.Signal == 0 ? 0 : Energy.Noise / Energy.Signal;
}

/// <summary>
/// The two inferences of the method: each sample runs through the fp32 graph and through the fully int8
/// graph, and every watched value's fp32 trace is compared with its dequantized int8 trace. Streaming:
/// each worker keeps one sample's fp32 values; per-sample energies are summed in sample order at the
/// end, so the result does not depend on the thread count.
/// </summary>
public static class TraceComparison
{
    public static IReadOnlyDictionary<string, ValueNoise> Run(Graph fp32, Graph int8, IReadOnlyDictionary<string, Int8Value> int8Values,
        IReadOnlyList<string> values, int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null)
    {
        var slot = values.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => p.k, StringComparer.Ordinal);
        foreach (var v in values)
            if (!int8Values.ContainsKey(v))
                throw new QuantuneException(DiagnosticCode.MissingValue, $"'{v}' has no int8 form in the quantized graph");
        var byInt8Name = values.ToDictionary(v => int8Values[v].Name, v => (Slot: slot[v], int8Values[v].Params), StringComparer.Ordinal);
        var perSample = new SqnrAccumulator[count, values.Count];
        var lengths = new long[values.Count];
        var bound = int8.WithBatch(1);
        using var workers = new ThreadLocal<Worker>(() => new Worker(bound, byInt8Name.Keys, values.Count));
        var runner = new ParallelRunner(fp32, threads, values);
        runner.Run(count, (i, input) => fill(i, input.Floats),
            (i, _) =>
            {
                var w = workers.Value!;
                fill(i, w.Input.Floats);
                w.Session.Run([w.Input], (name, t) =>
                {
                    var (k, p) = byInt8Name[name];
                    var reference = w.Fp32[k]!;
                    var (q, deq) = w.Scratch(reference.Length);
                    QuantTensor.Read(t, 0, q);
                    for (int e = 0; e < deq.Length; e++) deq[e] = p.Dequantize(q[e]);
                    perSample[i, k] = SqnrAccumulator.Of(reference, deq);
                });
            },
            progress, "comparing fp32 and int8 traces",
            (i, name, t) =>
            {
                var w = workers.Value!;
                int k = slot[name];
                var copy = w.Fp32[k] is { } buffer && buffer.Length == t.Length ? buffer : w.Fp32[k] = new float[t.Length];
                t.Floats.CopyTo(copy);
                lengths[k] = t.Length;
            });
        return values.ToDictionary(v => v, v =>
        {
            int k = slot[v];
            return new ValueNoise(SqnrAccumulator.Sum(Enumerable.Range(0, count).Select(i => perSample[i, k])), lengths[k] * count);
        }, StringComparer.Ordinal);
    }

    private sealed class Worker(Graph int8, IEnumerable<string> observe, int slots)
    {
        private int[] _quantized = [];
        private float[] _dequantized = [];

        public Session Session { get; } = new(int8, observe);
        public Tensor Input { get; } = Tensor.Zeros(int8.Inputs[0].Type.DataType, int8.Inputs[0].Type.Shape!.ToInts());
        public float[]?[] Fp32 { get; } = new float[slots][];

        public (int[] Quantized, float[] Dequantized) Scratch(int length)
        {
            if (_quantized.Length != length) (_quantized, _dequantized) = (new int[length], new float[length]);
            return (_quantized, _dequantized);
        }
    }
}
