using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The local metrics of every layer with an int8 form: two inferences per calibration sample (fp32 and
/// fully int8, <see cref="TraceComparison"/>) whatever the number of layers, plus the weight SQNR from
/// the weights alone.
/// </summary>
public static class SensitivityAnalysis
{
    /// <param name="fused">The fused fp32 graph the plan was made on.</param>
    /// <param name="plan">A plan of that graph; its ranges and options are used with every layer int8.</param>
    public static IReadOnlyList<LayerMetrics> Run(Graph fused, QuantizationPlan plan, int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress = null) =>
        Run(fused, plan, count, fill, threads, progress, out _);

    /// <param name="traces">The compared traces of every layer's inputs and output (signal and accumulated noise energies).</param>
    public static IReadOnlyList<LayerMetrics> Run(Graph fused, QuantizationPlan plan, int count, Action<int, Span<float>> fill, int threads, IProgressReporter? progress,
        out IReadOnlyDictionary<string, ValueNoise> traces)
    {
        var allInt8 = plan with { Layers = [.. plan.Layers.Select(l => l with { Precision = PlanLayer.Int8 })] };
        var int8 = PlanApplication.Lower(fused, allInt8, new PassLog(), out var int8Values);
        var nodes = plan.Layers.Select(l => fused.Nodes.First(n => n.DisplayName == l.Name)).ToList();
        var inputs = nodes.Select(n => Quantizer.ActivationInputs(n).Where(v => !fused.Constants.ContainsKey(v)).Distinct().ToList()).ToList();
        var values = inputs.SelectMany(i => i).Concat(nodes.Select(n => n.Outputs[0])).Distinct().ToList();
        var compared = TraceComparison.Run(fused, int8, int8Values, values, count, fill, threads, progress);
        traces = compared;
        return nodes.Select((n, k) =>
        {
            var input = SqnrAccumulator.Sum(inputs[k].Select(v => compared[v].Energy));
            var output = compared[n.Outputs[0]];
            return new LayerMetrics(n.DisplayName, n.OpType, plan.Layers[k].Macs, WeightSqnrDb(fused, n, plan.Options), input.Decibels, output.SqnrDb,
                output.Mse, output.NormalizedMse);
        }).ToList();
    }

    /// <summary>SQNR of the layer's weights against their int8 form under the plan's options; +∞ without weights.</summary>
    public static double WeightSqnrDb(Graph graph, Node node, PlanOptions options)
    {
        if (Quantizer.Weights(graph, node) is not { } w) return double.PositiveInfinity;
        var q = WeightQuantizer.Quantize(w, options.PerChannel, options.ReduceRange);
        return SqnrAccumulator.Of(w.Floats, q.Dequantize()).Decibels;
    }
}
