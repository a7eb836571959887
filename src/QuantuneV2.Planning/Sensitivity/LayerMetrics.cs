namespace QuantuneV2.Planning.Sensitivity;

/// <summary>
/// The local metrics of one layer (docs/method.md), from the fp32 and the fully int8 traces.
/// SQNR values are in dB and may be +∞ (no noise at all, e.g. the weight SQNR of a layer without weights).
/// </summary>
/// <param name="WeightSqnrDb">fp32 weights vs their dequantized int8 form.</param>
/// <param name="InputSqnrDb">The layer's activation inputs (all of them together), fp32 vs dequantized int8 trace.</param>
/// <param name="OutputSqnrDb">The layer's output, fp32 vs dequantized int8 trace.</param>
/// <param name="Mse">Mean squared error of the output per element.</param>
/// <param name="NormalizedMse">Σ (y − ŷ)² / Σ y² of the output (10^(−SQNR/10)).</param>
public sealed record LayerMetrics(string Name, string Op, long Macs, double WeightSqnrDb, double InputSqnrDb, double OutputSqnrDb, double Mse, double NormalizedMse)
{
    /// <summary>Input SQNR − output SQNR: the signal-to-noise this layer loses itself, not what it inherits.</summary>
    public double SqnrDeltaDb => InputSqnrDb - OutputSqnrDb;
}
