using System.Collections.Immutable;

namespace QuantuneV2.Core.IR;

public sealed record OpsetImport(string Domain, long Version);

/// <summary>Model-level facts that the graph carries so that saving reproduces them.</summary>
public sealed record ModelInfo
{
    public long IrVersion { get; init; } = 8;
    public string ProducerName { get; init; } = "";
    public string ProducerVersion { get; init; } = "";
    public string Domain { get; init; } = "";
    public long ModelVersion { get; init; }
    public string DocString { get; init; } = "";
    public ImmutableArray<OpsetImport> OpsetImports { get; init; } = [new OpsetImport("", 13)];
    public ImmutableArray<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>The ai.onnx opset version ("" or "ai.onnx" domain).</summary>
    public long Opset => OpsetImports.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
}
