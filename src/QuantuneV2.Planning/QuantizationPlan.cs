using System.Text.Json.Serialization;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Planning;

/// <summary>
/// What `quantune quantize` decides and everything needed to rebuild the int8 graph from the fp32 model:
/// the options, the calibrated range of every activation that can run int8, and each layer's precision.
/// Written as JSON by <see cref="PlanFile"/> (docs/plan.md): human-readable, versioned, and byte-identical
/// for the same inputs (no timestamps, no absolute paths, graph order everywhere).
/// </summary>
/// <param name="PredictedSqnrDb">With a sensitivity analysis: the output SQNR the noise model predicts with
/// the first k ranked layers (blocks in block mode) fp32, for k = 0 … n (<see cref="NoiseModel"/>).</param>
/// <param name="Validation">With a validation set and no accuracy target: the measured curve (<see cref="MeasuredCurve"/>).</param>
public sealed record QuantizationPlan(
    string Schema,
    PlanModel Model,
    PlanOptions Options,
    PlanCalibration Calibration,
    PlanSummary Summary,
    IReadOnlyList<PlanLayer> Layers,
    IReadOnlyList<PlanTensor> Tensors,
    IReadOnlyList<string> Warnings,
    PlanSearch? Search = null,
    IReadOnlyList<double>? PredictedSqnrDb = null,
    PlanValidation? Validation = null)
{
    public const string CurrentSchema = "quantune-plan/1";
}

/// <summary>The model a plan was made for: file name, SHA-256 of its bytes, graph name, node count after the fp32 passes.</summary>
public sealed record PlanModel(string File, string Sha256, string Graph, int FusedNodes);

/// <summary>Where the ranges come from: the data set spec's file name (or "synthetic") and the sample count.</summary>
public sealed record PlanCalibration(string Data, int Samples, bool Synthetic);

/// <summary>
/// Totals: layers with an int8 form, how many run int8 and fp32, their multiply-accumulates, and the
/// QuantizeLinear/DequantizeLinear nodes the mixed graph needs (each one is an int8↔fp32 boundary).
/// </summary>
/// <param name="BoundaryElements">Tensor elements those nodes convert per sample: the work the boundaries add to each inference.</param>
/// <param name="PredictedSqnrDb">The output SQNR the noise model predicts for this plan; null without a sensitivity analysis.</param>
public sealed record PlanSummary(int Layers, int Int8Layers, int Fp32Layers, long Macs, long Int8Macs, int Boundaries, long BoundaryElements, double? PredictedSqnrDb = null)
{
    /// <summary>Int8Macs / Macs (0 without MACs); derived, so not written to the file.</summary>
    [JsonIgnore]
    public double Int8MacFraction => Macs == 0 ? 0 : (double)Int8Macs / Macs;
}

/// <summary>One layer that has an int8 form (a fused node of the fp32 graph), in graph order.</summary>
/// <param name="Precision">"int8" or "fp32".</param>
/// <param name="Reason">Why: "quantized", "excluded by name", "op type excluded", "sensitivity rank R".</param>
/// <param name="Rank">Position in the ranking that chose the fp32 layers (1 = first kept fp32); null without a ranking.</param>
/// <param name="Sensitivity">The local metrics and score; null when no sensitivity analysis ran.</param>
public sealed record PlanLayer(string Name, string Op, long Macs, string Precision, string Reason, int? Rank = null, PlanLayerSensitivity? Sensitivity = null)
{
    public const string Int8 = "int8";
    public const string Fp32 = "fp32";
}

/// <summary>A calibrated activation: its clipping range and the resulting scale/zero point (per tensor).</summary>
/// <param name="RoundingSqnrDb">With a sensitivity analysis: the SQNR of storing it in 8 bits on the calibration data (<see cref="RoundingNoise"/>).</param>
public sealed record PlanTensor(string Name, float Min, float Max, float Scale, int ZeroPoint, double? RoundingSqnrDb = null);

/// <summary>A layer's local metrics (docs/method.md; SQNRs in dB, "Infinity" when noiseless) and its sensitivity score.</summary>
public sealed record PlanLayerSensitivity(double WeightSqnrDb, double InputSqnrDb, double OutputSqnrDb, double SqnrDeltaDb, double Mse, double NormalizedMse, double Score)
{
    public LayerMetrics Metrics(PlanLayer layer) => new(layer.Name, layer.Op, layer.Macs, WeightSqnrDb, InputSqnrDb, OutputSqnrDb, Mse, NormalizedMse);
}

/// <summary>
/// The accuracy-target search (`--accuracy-target T --val SPEC`): the validation set, the target top-1,
/// the number of fp32 layers chosen, whether the target was reached, and each evaluation in the order run.
/// </summary>
public sealed record PlanSearch(string Data, int Samples, double Target, int Fp32Layers, bool Reached, IReadOnlyList<PlanSearchStep> Steps);

/// <summary>One evaluation of the search: the k most sensitive layers fp32, and the top-1 measured.</summary>
public sealed record PlanSearchStep(int Fp32Layers, double Top1);

/// <summary>Measured on a validation set (`--val SPEC`): its file name, sample count and the points measured.</summary>
public sealed record PlanValidation(string Data, int Samples, IReadOnlyList<PlanValidationPoint> Points);

/// <summary>The first k ranked layers (blocks) fp32: top-1, agreement with the fp32 model's top-1, and output SQNR (dB).</summary>
public sealed record PlanValidationPoint(int Fp32Layers, double Top1, double Agreement, double SqnrDb);
