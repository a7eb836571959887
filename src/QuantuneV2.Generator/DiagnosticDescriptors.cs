using Microsoft.CodeAnalysis;

namespace QuantuneV2.Generator;

/// <summary>Every diagnostic the generator reports (docs/diagnostics.md).</summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidProgram = new(
        "QV0070", "Invalid kernel program",
        "The kernel program '{0}' of class {1} cannot be read: {2}. Rebuild to regenerate it (docs/generator.md).",
        "QuantuneV2", DiagnosticSeverity.Error, isEnabledByDefault: true);
}
