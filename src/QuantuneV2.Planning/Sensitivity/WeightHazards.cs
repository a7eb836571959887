using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// Layers that int8 weights would break whatever the ranking: with one scale per tensor, output channels
/// whose weights are all much smaller than the largest round to all-zero int8 weights, and the layer
/// loses them outright (on a depthwise ImageNet CNN this took 38 % of the first conv's channels and the
/// model to chance level; keeping other layers fp32 cannot bring them back, per-channel scales do).
/// </summary>
public static class WeightHazards
{
    /// <summary>Warn when at least this fraction of a layer's non-zero output channels become all-zero.</summary>
    public const double DeadChannelFraction = 0.05;

    public static IEnumerable<QuantuneWarning> Find(Graph fused, IEnumerable<PlanLayer> layers, PlanOptions options, string modelPath)
    {
        if (options.PerChannel) yield break;
        foreach (var layer in layers.Where(l => l.Precision == PlanLayer.Int8))
        {
            var node = fused.Nodes.First(n => n.DisplayName == layer.Name);
            if (Quantizer.Weights(fused, node) is not { } w) continue;
            var (dead, live) = DeadChannels(w, WeightQuantizer.Quantize(w, perChannel: false, options.ReduceRange));
            if (live > 0 && dead >= DeadChannelFraction * live)
                yield return new QuantuneWarning(DiagnosticCode.DeadWeightChannels,
                    $"per-tensor int8 weights round {dead} of {live} output channels ({100.0 * dead / live:F0} %) to all-zero weights: the layer loses them whatever else stays fp32; use per-channel weights (drop --per-tensor)",
                    modelPath, layer.Name);
        }
    }

    /// <summary>Output channels with some non-zero fp32 weight (live) and, of those, the ones whose int8 weights are all zero (dead).</summary>
    public static (int Dead, int Live) DeadChannels(Tensor weights, QuantizedWeights quantized)
    {
        int channels = weights.Dims[0], per = weights.Length / Math.Max(channels, 1), dead = 0, live = 0;
        var w = weights.Floats;
        for (int c = 0; c < channels; c++)
        {
            bool nonZero = false, allZero = true;
            for (int i = c * per; i < (c + 1) * per; i++)
            {
                nonZero |= w[i] != 0;
                allZero &= quantized.Values[i] == 0;
            }
            if (!nonZero) continue;
            live++;
            if (allZero) dead++;
        }
        return (dead, live);
    }
}
