using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;

namespace QuantuneV2.Tests.MSBuild;

/// <summary>
/// In-process MSBuild (the SDK's own, found by Microsoft.Build.Locator) on projects that use the packed
/// package: how defaults, properties and item metadata combine, checked on the evaluated project and on
/// the resolving target alone, without running a quantization.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public class ProjectEvaluationTests(PackageFeed feed)
{
    static ProjectEvaluationTests()
    {
        if (!Microsoft.Build.Locator.MSBuildLocator.IsRegistered) Microsoft.Build.Locator.MSBuildLocator.RegisterDefaults();
    }

    [Fact]
    public void ItemMetadataWinsOverProjectPropertiesWhichWinOverTheDefaults()
    {
        var app = feed.CreateConsumer("""
            <QuantizedModel Include="models/resnet18.onnx" />
            <QuantizedModel Include="other.onnx" ClassName="Other" Method="entropy" Fp32Layers="2" Calibration="data/calib.json" />
            """, "<QuantuneV2Method>percentile</QuantuneV2Method><RootNamespace>My.App</RootNamespace>");
        var (code, log) = app.Dotnet("restore");
        Assert.True(code == 0, log);
        var items = Evaluate(Path.Combine(app.Folder, "app.csproj"), feed.Packages);

        Assert.Equal(("auto", "percentile", "uint8", "true", "true"), items["models/resnet18.onnx"] is var a ? (a["Fp32Layers"], a["Method"], a["Activations"], a["PerChannel"], a["Report"]) : default);
        Assert.Equal(("2", "entropy"), items["other.onnx"] is var b ? (b["Fp32Layers"], b["Method"]) : default);

        var resolved = Resolve(Path.Combine(app.Folder, "app.csproj"), feed.Packages);
        var first = resolved[Path.Combine(app.Folder, "models", "resnet18.onnx")];
        Assert.Equal(("Resnet18", "My.App"), (first["ClassName"], first["Namespace"]));
        Assert.Equal(Path.Combine(app.Artefacts, "Resnet18.plan.json"), first["Plan"]);
        var second = resolved[Path.Combine(app.Folder, "other.onnx")];
        Assert.Equal(Path.Combine(app.Folder, "data", "calib.json"), second["Calibration"]);
    }

    [Fact]
    public void ADesignTimeBuildDoesNotQuantizeButHandsOverTheLastBuildsProgram()
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" ClassName="Net" Fp32Layers="none" />""");
        app.Copy(SharedData.Require("models/fmnist/resnet18.bn.onnx"), "model.onnx");
        var (code, log) = app.Dotnet("restore");
        Assert.True(code == 0, log);
        var project = Path.Combine(app.Folder, "app.csproj");
        var plan = Path.Combine(app.Artefacts, "Net.plan.json");
        // What an IDE does: a design-time build of the compile inputs. Before any real build there is nothing to hand over.
        var files = DesignTimeBuild(project, feed.Packages);
        Assert.False(File.Exists(plan), "a design-time build quantized the model");
        Assert.DoesNotContain(files, f => f.EndsWith(".program.txt", StringComparison.Ordinal));

        (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        File.SetLastWriteTimeUtc(Path.Combine(app.Folder, "model.onnx"), DateTime.UtcNow);  // out of date now: a real build would quantize
        var written = File.GetLastWriteTimeUtc(plan);
        files = DesignTimeBuild(project, feed.Packages);
        Assert.Equal(written, File.GetLastWriteTimeUtc(plan));
        Assert.Contains(Path.Combine(app.Artefacts, "Net.program.txt"), files);
    }

    /// <summary>The AdditionalFiles the compiler would get in a design-time build.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<string> DesignTimeBuild(string projectPath, string packages)
    {
        using var collection = new ProjectCollection(new Dictionary<string, string>
        {
            ["NuGetPackageRoot"] = packages + "/", ["DesignTimeBuild"] = "true", ["SkipCompilerExecution"] = "true", ["ProvideCommandLineArgs"] = "true",
        });
        var instance = collection.LoadProject(projectPath).CreateProjectInstance();
        Assert.True(instance.Build(["CoreCompile"], []), "the design-time build failed");
        return [.. instance.GetItems("AdditionalFiles").Select(i => i.GetMetadataValue("FullPath"))];
    }

    // MSBuild types appear only in methods the static constructor's registration runs before.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Dictionary<string, Dictionary<string, string>> Evaluate(string projectPath, string packages)
    {
        using var collection = new ProjectCollection(new Dictionary<string, string> { ["NuGetPackageRoot"] = packages + "/" });
        var project = collection.LoadProject(projectPath);
        return project.GetItems("QuantizedModel").ToDictionary(i => i.EvaluatedInclude,
            i => i.Metadata.ToDictionary(m => m.Name, m => m.EvaluatedValue));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Dictionary<string, Dictionary<string, string>> Resolve(string projectPath, string packages)
    {
        using var collection = new ProjectCollection(new Dictionary<string, string> { ["NuGetPackageRoot"] = packages + "/" });
        var instance = collection.LoadProject(projectPath).CreateProjectInstance();
        // The models do not exist: the target's QV0001 errors are expected; the items are resolved before them.
        instance.Build(["_QuantuneV2ResolveModels"], []);
        return instance.GetItems("_QuantuneV2Model").ToDictionary(i => i.EvaluatedInclude,
            i => i.MetadataNames.ToDictionary(n => n, i.GetMetadataValue));
    }
}
