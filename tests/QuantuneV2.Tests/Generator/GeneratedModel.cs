using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QuantuneV2.Generator;

namespace QuantuneV2.Tests.Generator;

/// <summary>
/// Runs the source generator in memory on a kernel program as the build hands it over (an AdditionalFiles item with
/// QuantuneV2 metadata), compiles the result with the weights embedded, and loads it: the generated class as a user gets it.
/// </summary>
internal sealed class GeneratedModel
{
    private GeneratedModel(GeneratorDriverRunResult run, CSharpCompilation compilation, Assembly? assembly)
    {
        Run = run;
        Compilation = compilation;
        Assembly = assembly;
    }

    public GeneratorDriverRunResult Run { get; }
    public CSharpCompilation Compilation { get; }
    public Assembly? Assembly { get; }

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    public static CSharpCompilation Compile(string userCode) => CSharpCompilation.Create("app_" + Guid.NewGuid().ToString("N"),
        [CSharpSyntaxTree.ParseText(userCode, ParseOptions)], References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver Driver(string programText, string className, string ns) =>
        CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], [new ProgramFile("/obj/quantune/" + className + ".program.txt", programText)],
            ParseOptions, new Options(className, ns), new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generates, compiles (failing on any warning) and loads the class.</summary>
    public static GeneratedModel Build(string programText, byte[] weights, string className = "Net", string ns = "Check", string userCode = "namespace Check; public static class Marker { }")
    {
        var driver = Driver(programText, className, ns).RunGeneratorsAndUpdateCompilation(Compile(userCode), out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var compilation = (CSharpCompilation)output;
        if (generatorDiagnostics.Length > 0) return new GeneratedModel(run, compilation, null);
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe, manifestResources: [new ResourceDescription($"QuantuneV2.{className}.weights", () => new MemoryStream(weights), isPublic: true)]);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (!result.Success || problems.Count > 0)
            throw new InvalidOperationException("the generated code does not compile cleanly:\n" + string.Join("\n", problems) + "\n" + run.GeneratedTrees.FirstOrDefault()?.ToString());
        pe.Position = 0;
        return new GeneratedModel(run, compilation, new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(pe));
    }

    /// <summary>The static <c>Infer(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c> of the class, as a delegate.</summary>
    public Action<float[], float[]> Infer(string fullName)
    {
        var type = Assembly!.GetType(fullName, throwOnError: true)!;
        var method = type.GetMethods().Single(m => m.Name == "Infer" && m.GetParameters() is [{ ParameterType.Name: "ReadOnlySpan`1" }, _]);
        // Spans cannot go through reflection: the float[] overload wraps it.
        var arrays = type.GetMethod("Infer", [typeof(float[])])!;
        return (x, y) => ((float[])arrays.Invoke(null, [x])!).CopyTo(y, 0);
    }

    private static readonly ImmutableArray<MetadataReference> References =
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))];

    private sealed class ProgramFile(string path, string text) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options(string className, string ns) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => Empty.Instance;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty.Instance;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Metadata(new()
        {
            ["build_metadata.AdditionalFiles.QuantuneV2ClassName"] = className,
            ["build_metadata.AdditionalFiles.QuantuneV2Namespace"] = ns,
            ["build_metadata.AdditionalFiles.QuantuneV2Weights"] = $"QuantuneV2.{className}.weights",
        });
    }

    private sealed class Metadata(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }

    private sealed class Empty : AnalyzerConfigOptions
    {
        public static readonly Empty Instance = new();
        public override bool TryGetValue(string key, out string value)
        {
            value = "";
            return false;
        }
    }
}
