using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The noise of storing each calibrated activation in 8 bits: the fp32 trace against itself quantized and
/// dequantized with the tensor's own parameters (rounding and clipping), over the calibration samples.
/// Local to the tensor — no noise inherited from earlier layers — and it costs one fp32 inference per sample.
/// </summary>
public static class RoundingNoise
{
    /// <returns>Signal and rounding-noise energies per tensor.</returns>
    public static IReadOnlyDictionary<string, SqnrAccumulator> Measure(Graph fused, IReadOnlyList<PlanTensor> tensors, QuantType activations,
        int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null)
    {
        var slot = tensors.Select((t, k) => (t.Name, k)).ToDictionary(p => p.Name, p => p.k, StringComparer.Ordinal);
        var perSample = new SqnrAccumulator[count, tensors.Count];
        var rounded = new ThreadLocal<float[]>(() => []);
        new ParallelRunner(fused, threads, slot.Keys).Run(count, (i, input) => fill(i, input.Floats), (_, _) => { },
            progress, "measuring activation rounding noise",
            (i, name, t) =>
            {
                var plan = tensors[slot[name]];
                var p = new QuantParams(plan.Scale, plan.ZeroPoint, activations);
                var values = t.Floats;
                if (rounded.Value!.Length != values.Length) rounded.Value = new float[values.Length];
                Round(p, values, rounded.Value);
                perSample[i, slot[name]] = SqnrAccumulator.Of(values, rounded.Value);
            });
        rounded.Dispose();
        return slot.ToDictionary(kv => kv.Key, kv => SqnrAccumulator.Sum(Enumerable.Range(0, count).Select(i => perSample[i, kv.Value])), StringComparer.Ordinal);
    }

    /// <summary>Each value as 8 bits store it: quantized with <paramref name="p"/> (rounding and clipping), then dequantized.</summary>
    public static void Round(QuantParams p, ReadOnlySpan<float> values, Span<float> rounded)
    {
        for (int e = 0; e < values.Length; e++) rounded[e] = p.Dequantize(p.Quantize(values[e]));
    }
}
