namespace QuantuneV2.Generator;

/// <summary>
/// What the pipeline carries for one QuantizedModel: its build metadata and the kernel program's text. Only
/// strings, so it is equatable by value and an unrelated edit in the user's code never re-runs generation.
/// </summary>
internal sealed record ModelSpec(string ClassName, string Namespace, string WeightsResource, string ProgramPath, string ProgramText);
