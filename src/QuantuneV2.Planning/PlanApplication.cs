using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Onnx;

namespace QuantuneV2.Planning;

/// <summary>Rebuilds the mixed int8/fp32 graph a plan describes from the fp32 model it was made for.</summary>
public static class PlanApplication
{
    /// <summary>Loads the model, checks that it is the plan's model, fuses it and lowers it as the plan says.</summary>
    public static Graph Apply(string modelPath, QuantizationPlan plan, string planPath, PassLog? log = null)
    {
        var sha = PlanFile.Sha256(modelPath);
        if (sha != plan.Model.Sha256)
            throw new QuantuneException(DiagnosticCode.PlanMismatch,
                $"the plan was made for '{plan.Model.File}' (sha256 {plan.Model.Sha256[..12]}…), not for this model (sha256 {sha[..12]}…); run quantune quantize on this model", planPath);
        log ??= new PassLog();
        var fused = PassPipeline.Run(OnnxModel.Load(modelPath), log);
        try
        {
            return Lower(fused, plan, log);
        }
        catch (QuantuneException e)
        {
            throw e.WithFile(planPath);
        }
    }

    /// <summary>The mixed graph of <paramref name="plan"/> from the already fused graph.</summary>
    public static Graph Lower(Graph fused, QuantizationPlan plan, PassLog log) => Lower(fused, plan, log, out _);

    /// <param name="int8Values">Each fp32 value that has an int8 form in the result: its name there and encoding.</param>
    public static Graph Lower(Graph fused, QuantizationPlan plan, PassLog log, out IReadOnlyDictionary<string, Int8Value> int8Values)
    {
        var byName = fused.Nodes.ToDictionary(n => n.DisplayName, StringComparer.Ordinal);
        foreach (var layer in plan.Layers)
            if (!byName.TryGetValue(layer.Name, out var node) || !Quantizer.IsQuantizable(fused, node) || node.OpType != layer.Op)
                throw new QuantuneException(DiagnosticCode.PlanMismatch, $"the plan names layer '{layer.Name}' ({layer.Op}), which the fused model does not have", nodeName: layer.Name, opType: layer.Op);
        var listed = plan.Layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        if (fused.Nodes.FirstOrDefault(n => Quantizer.IsQuantizable(fused, n) && !listed.Contains(n.DisplayName)) is { } missing)
            throw new QuantuneException(DiagnosticCode.PlanMismatch, "the plan does not list this layer of the fused model", nodeName: missing.DisplayName, opType: missing.OpType);
        var fp32 = plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => l.Name);
        var ranges = plan.Tensors.ToDictionary(t => t.Name, t => (t.Min, t.Max), StringComparer.Ordinal);
        return Quantizer.Quantize(fused, ranges, plan.Options.ToQuantizationOptions(fp32), log, out int8Values);
    }

    /// <summary>
    /// The int8↔fp32 boundaries of a mixed graph (its QuantizeLinear and DequantizeLinear nodes) and the
    /// tensor elements they convert per sample (batch 1): the work a boundary adds to every inference.
    /// </summary>
    public static (int Count, long Elements) Boundaries(Graph quantized)
    {
        var crossings = quantized.Nodes.Where(n => n.Domain.Length == 0 && n.OpType is "QuantizeLinear" or "DequantizeLinear").ToList();
        var bound = crossings.Count == 0 ? quantized : quantized.WithBatch(1);
        return (crossings.Count, crossings.Sum(n => bound.TypeOf(n.Outputs[0]).Shape!.Dims.Aggregate(1L, (p, d) => p * d.Value)));
    }
}
