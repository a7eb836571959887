using System.Numerics.Tensors;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using Tensor = QuantuneV2.Core.IR.Tensor;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The first-order effect of each noise source on the model's output, per calibration sample. A source's
/// error vector δ (a tensor's 8-bit rounding error, or the change a layer's int8 weights make to its output)
/// is projected on random output directions r carried back through the network's transposed Jacobian at
/// the fp32 point (<see cref="Backpropagation"/>): p = (Jᵀr)·δ. With r ~ N(0, I), E[(Σ p)²] = ‖J Σ δ‖², the
/// output noise energy of any set of sources to first order. Errors that line up — the same rounding error
/// on every background pixel, a channel whose weights all round the same way — add up here as they do in
/// the network, which a per-tensor noise energy cannot show.
/// <para>The output is where the noise leaves the int8-capable part: the graph outputs and the inputs of ops
/// without a backward (a final Softmax), as one vector. Cost per sample: one fp32 inference of the graph
/// with its weight twins (<see cref="WeightTwins"/>) and <see cref="Projections"/> backward passes,
/// whatever the number of layers.</para>
/// </summary>
public static class NoiseProjection
{
    /// <summary>Random output directions per sample.</summary>
    public const int Projections = 8;

    /// <summary>Where a source's error lives: the rounding of <paramref name="Value"/> (<paramref name="Twin"/> null) or a layer's weights, as the difference between its twin's output and its output <paramref name="Value"/>.</summary>
    public sealed record Source(string Value, string? Twin);

    /// <returns>Per source, its projections (sample-major, <see cref="Projections"/> per sample), the output signal energy over all samples, and the output values.</returns>
    public static (double[][] Projections, double OutputEnergy, IReadOnlyList<string> Outputs) Measure(Graph twins, IReadOnlyList<Source> sources, IReadOnlyDictionary<string, QuantParams> rounding,
        int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null)
    {
        var bound = twins.WithBatch(1);
        var probe = new Backpropagation(bound);
        var outputs = Outputs(bound, probe);
        var projections = sources.Select(_ => new double[count * Projections]).ToArray();
        var energy = new double[count];
        using var workers = new ThreadLocal<Worker>(() => new Worker(bound));
        var observed = probe.ForwardValues.Concat(sources.Select(s => s.Value)).Concat(sources.Select(s => s.Twin).OfType<string>()).Concat(outputs).Distinct().ToList();
        new ParallelRunner(twins, threads, observed).Run(count, (i, input) => fill(i, input.Floats),
            (i, _) =>
            {
                var w = workers.Value!;
                var errors = sources.Select((s, k) => w.Error(k, s, rounding)).ToArray();
                energy[i] = outputs.Sum(o => (double)TensorPrimitives.Dot<float>(w.Values[o].Floats, w.Values[o].Floats));
                for (int r = 0; r < Projections; r++)
                {
                    var random = new Random(i * Projections + r);
                    var seeds = outputs.ToDictionary(o => o, o => Gaussian(random, w.Values[o].Length), StringComparer.Ordinal);
                    var cotangents = w.Backward.Run(v => w.Values[v], seeds);
                    for (int k = 0; k < sources.Count; k++)
                        projections[k][i * Projections + r] = cotangents.TryGetValue(sources[k].Value, out var g) ? Dot(g, errors[k]) : 0;
                }
            },
            progress, "projecting noise sources onto the output",
            (_, name, t) => workers.Value!.Keep(name, t));
        return (projections, energy.Sum(), outputs);
    }

    /// <summary>The values where noise leaves the part the propagation covers: covered graph outputs and the covered inputs of ops it does not go through.</summary>
    private static List<string> Outputs(Graph graph, Backpropagation backward)
    {
        var outputs = graph.Outputs.Select(o => o.Name).Where(v => graph.Producer(v) is { } p && backward.GoesThrough(p)).ToList();
        foreach (var node in graph.Nodes.Where(n => !backward.GoesThrough(n)))
            outputs.AddRange(node.Inputs.Where(v => v.Length > 0 && backward.Covers(v)));
        if (outputs.Count == 0) throw new QuantuneException(DiagnosticCode.MissingValue, $"no output of '{graph.Name}' is reached by the noise propagation");
        return [.. outputs.Distinct()];
    }

    private static float[] Gaussian(Random random, int length)
    {
        var r = new float[length];
        for (int e = 0; e < length; e++)
            r[e] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return r;
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int e = 0; e < a.Length; e++) sum += (double)a[e] * b[e];
        return sum;
    }

    private sealed class Worker(Graph graph)
    {
        private readonly Dictionary<int, float[]> _errors = [];

        public Backpropagation Backward { get; } = new(graph);
        public Dictionary<string, Tensor> Values { get; } = new(StringComparer.Ordinal);

        public void Keep(string name, Tensor t)
        {
            if (!Values.TryGetValue(name, out var copy) || copy.Length != t.Length) Values[name] = copy = Tensor.Zeros(DataType.Float, t.Dims);
            t.Floats.CopyTo(copy.Floats);
        }

        public float[] Error(int k, Source s, IReadOnlyDictionary<string, QuantParams> rounding)
        {
            var x = Values[s.Value].Floats;
            if (!_errors.TryGetValue(k, out var e) || e.Length != x.Length) _errors[k] = e = new float[x.Length];
            if (s.Twin is { } twin) TensorPrimitives.Subtract(Values[twin].Floats, x, e);
            else
            {
                RoundingNoise.Round(rounding[s.Value], x, e);
                TensorPrimitives.Subtract(e, x, e);
            }
            return e;
        }
    }
}
