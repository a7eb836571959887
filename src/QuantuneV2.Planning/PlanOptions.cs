using System.Text.Json.Serialization;
using QuantuneV2.Core.Calibration;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Planning;

/// <summary>
/// The options of a quantization plan, in the words the CLI and the MSBuild items use (one type serves
/// both; docs/plan.md lists them). Stored in the plan as written, so a plan says how it was made.
/// </summary>
public sealed record PlanOptions
{
    public static readonly IReadOnlyList<string> Methods = ["minmax", "percentile", "entropy", "moving-average"];
    public static readonly IReadOnlyList<string> ActivationTypes = ["uint8", "int8"];
    public static readonly IReadOnlyList<string> Baselines = ["quantunev2", "one-at-a-time", "random", "position"];
    public static readonly IReadOnlyList<string> Selections = ["boundary-aware", "score"];

    /// <summary>Calibration method: minmax (default), percentile, entropy or moving-average.</summary>
    public string Method { get; init; } = "minmax";

    /// <summary>The percentile kept by the percentile method (each tail).</summary>
    public double Percentile { get; init; } = PercentileObserver.DefaultPercentile;

    /// <summary>One weight scale per output channel (default) or per tensor.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Activation encoding: uint8 asymmetric (default) or int8 symmetric.</summary>
    public string Activations { get; init; } = "uint8";

    /// <summary>7-bit weights (±63).</summary>
    public bool ReduceRange { get; init; }

    /// <summary>How many layers the planner keeps fp32 on its own: <see cref="Fp32LayerChoice.Help"/>.</summary>
    public string Fp32Layers { get; init; } = "none";

    /// <summary>Which ranking picks them: quantunev2 (the local-metric sensitivity score, default), or the baselines one-at-a-time (n + 1 inference sets), random (seeded) and position (first and last layers first).</summary>
    public string Baseline { get; init; } = "quantunev2";

    /// <summary>
    /// How QuantuneV2 orders the layers to keep fp32: boundary-aware (default: greedily, by the output noise the
    /// <see cref="NoiseModel"/> predicts, which counts the rounding an fp32 island's boundaries keep) or score
    /// (the paper's rule: by the linear sensitivity score alone).
    /// </summary>
    public string Selection { get; init; } = "boundary-aware";

    /// <summary>Top-1 (0..1) the mixed model must reach on the validation set; the planner then searches the number of fp32 layers (overrides <see cref="Fp32Layers"/>).</summary>
    public double? AccuracyTarget { get; init; }

    /// <summary>Keep whole blocks (residual, fire, inverted-residual: docs/method.md) fp32 instead of single layers; counts then count blocks.</summary>
    public bool BlockMode { get; init; }

    /// <summary>Seed of the random baseline.</summary>
    public int Seed { get; init; }

    /// <summary>Weights of the sensitivity score.</summary>
    public ScoreWeights Score { get; init; } = ScoreWeights.Default;

    /// <summary>Layers (fused node names) that stay fp32.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Op types that stay fp32 wherever they occur (e.g. "Gemm", "FusedConv").</summary>
    public IReadOnlyList<string> ExcludeOpTypes { get; init; } = [];

    /// <summary>Checks every value; a QuantuneException QV0040 naming the bad one and the choices.</summary>
    public PlanOptions Validate()
    {
        Choose("method", Method, Methods);
        Choose("activations", Activations, ActivationTypes);
        Choose("baseline", Baseline, Baselines);
        Choose("selection", Selection, Selections);
        if (Fp32LayerChoice.Parse(Fp32Layers).IsAuto && Baseline != "quantunev2")
            throw new QuantuneException(DiagnosticCode.UsageError, $"fp32-layers auto picks the knee of the predicted noise of the QuantuneV2 analysis; the {Baseline} baseline has none (give a count)");
        if (AccuracyTarget is { } t && !(t > 0 && t <= 1))
            throw new QuantuneException(DiagnosticCode.UsageError, $"accuracy target must be a top-1 fraction in (0, 1], got {t}");
        if (!(Percentile > 50 && Percentile <= 100))
            throw new QuantuneException(DiagnosticCode.UsageError, $"percentile must be in (50, 100], got {Percentile}");
        return this;
    }

    [JsonIgnore]
    public CalibrationMethod CalibrationMethod => Method switch
    {
        "percentile" => CalibrationMethod.Percentile,
        "entropy" => CalibrationMethod.Entropy,
        "moving-average" => CalibrationMethod.MovingAverageMinMax,
        _ => CalibrationMethod.MinMax,
    };

    [JsonIgnore]
    public QuantType ActivationType => Activations == "int8" ? QuantType.Int8 : QuantType.UInt8;

    /// <summary>
    /// The observer of one tensor. A graph input is data, not an activation: Entropy would trade its tail for a
    /// spike (an image's constant background after normalisation is thousands of equal values) and clip the
    /// image itself, so inputs get MinMax under Entropy.
    /// </summary>
    public RangeObserver CreateObserver(bool graphInput) =>
        graphInput && CalibrationMethod == CalibrationMethod.Entropy ? new MinMaxObserver() : RangeObservers.Create(CalibrationMethod, Percentile);

    /// <summary>The quantizer's options with <paramref name="fp32Layers"/> kept fp32.</summary>
    public QuantizationOptions ToQuantizationOptions(IEnumerable<string> fp32Layers) => new()
    {
        Activations = ActivationType,
        PerChannel = PerChannel,
        ReduceRange = ReduceRange,
        Fp32Nodes = fp32Layers.ToHashSet(StringComparer.Ordinal),
    };

    private static void Choose(string name, string value, IReadOnlyList<string> choices)
    {
        if (!choices.Contains(value))
            throw new QuantuneException(DiagnosticCode.UsageError, $"{name} '{value}' is not one of: {string.Join(", ", choices)}");
    }
}
