namespace QuantuneV2.Core.Quantization;

/// <summary>How a graph is quantized (the options a user of ONNX Runtime's quantize_static expects).</summary>
public sealed record QuantizationOptions
{
    /// <summary>Activation encoding: uint8 asymmetric (default) or int8 symmetric.</summary>
    public QuantType Activations { get; init; } = QuantType.UInt8;

    /// <summary>One weight scale per output channel (default) or one per tensor.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>7-bit weights (±63), for kernels whose u8×s8 pair sums must fit int16.</summary>
    public bool ReduceRange { get; init; }

    /// <summary>Nodes (by name, or by first output when unnamed) that stay fp32.</summary>
    public IReadOnlySet<string> Fp32Nodes { get; init; } = new HashSet<string>();

    /// <summary>Op types that stay fp32 wherever they occur (e.g. "Gemm").</summary>
    public IReadOnlySet<string> Fp32OpTypes { get; init; } = new HashSet<string>();
}
