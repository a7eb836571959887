using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace QuantuneV2.Generator;

/// <summary>
/// Turns each QuantizedModel's kernel program (an AdditionalFiles item with QuantuneV2ClassName metadata, written
/// by the build) into a typed class with <c>Infer</c> (docs/generator.md).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    public const string ModelsTrackingName = "QuantuneV2.Models";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => Read(pair.Left, pair.Right.GetOptions(pair.Left), ct))
            .Where(static m => m is not null)
            .WithTrackingName(ModelsTrackingName);
        context.RegisterSourceOutput(models, static (spc, model) => ModelEmitter.Emit(spc, model!));
    }

    private static ModelSpec? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken ct)
    {
        if (!options.TryGetValue("build_metadata.AdditionalFiles.QuantuneV2ClassName", out var className) || className.Length == 0) return null;
        options.TryGetValue("build_metadata.AdditionalFiles.QuantuneV2Namespace", out var ns);
        options.TryGetValue("build_metadata.AdditionalFiles.QuantuneV2Weights", out var weights);
        var text = file.GetText(ct)?.ToString() ?? "";
        return new ModelSpec(className, ns ?? "", weights ?? $"QuantuneV2.{className}.weights", file.Path, text);
    }
}
