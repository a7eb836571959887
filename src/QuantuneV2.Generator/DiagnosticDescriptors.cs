using Microsoft.CodeAnalysis;

namespace QuantuneV2.Generator;

/// <summary>Every diagnostic the generator reports (docs/diagnostics.md).</summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidProgram = new(
        "QV0070", "Invalid kernel program",
        "The kernel program '{0}' of class {1} cannot be read: {2}. Rebuild to regenerate it (docs/generator.md).",
        "QuantuneV2", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidClassName = new(
        "QV0071", "Invalid generated class name",
        "The kernel program '{0}' asks for class '{1}' in namespace '{2}', which is not a C# name: use letters, digits and '_', not starting with a digit (docs/diagnostics.md)",
        "QuantuneV2", DiagnosticSeverity.Error, isEnabledByDefault: true);
}
