namespace QuantuneV2.Tests.MSBuild;

/// <summary>Real `dotnet build`s of projects that use the packed QuantuneV2.Build as a user would.</summary>
[Collection(PackageFeedCollection.Name)]
public class QuantizedModelBuildTests(PackageFeed feed)
{
    private const string Ran = "quantune: model.onnx → ";
    private const string Skipped = "Skipping target \"QuantuneV2Quantize\" because all output files are up-to-date";

    private static string Model => SharedData.Require("models/fmnist/resnet18.bn.onnx");

    [Fact]
    public void BuildQuantizesRebuildSkipsAnOptionChangeReRunsAndCleanRemoves()
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" ClassName="Net" Fp32Layers="none" />""");
        app.Copy(Model, "model.onnx");

        var (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "Net: 22 int8 / 0 fp32 layers", log);
        Assert.Matches(@"model\.onnx ?: warning QV0050: ", log); // no calibration data: synthetic, with a warning
        foreach (var file in new[] { "Net.plan.json", "Net.weights", "Net.report.html" })
            Assert.True(File.Exists(Path.Combine(app.Artefacts, file)), $"{file} missing");
        Assert.StartsWith("QVW1", File.ReadAllText(Path.Combine(app.Artefacts, "Net.weights"))[..4]);
        Assert.Contains("QuantuneV2.Net.weights", ManifestResources(Path.Combine(app.Folder, "bin", "Debug", "net10.0", "app.dll")));

        (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Skipped, log);
        Assert.DoesNotContain(Ran, log);

        app.WriteProject("""<QuantizedModel Include="model.onnx" ClassName="Net" Fp32Layers="2" />""");
        (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "Net: 20 int8 / 2 fp32 layers", log);

        (code, log) = app.Dotnet("clean");
        Assert.True(code == 0, log);
        Assert.Empty(Directory.Exists(app.Artefacts) ? Directory.GetFiles(app.Artefacts) : []);
    }

    [Fact]
    public void TheGeneratedClassRunsInTheBuiltApp()
    {
        var app = AppCallingTheGeneratedClass();
        var (code, log) = app.Dotnet("run -v q");
        Assert.True(code == 0, log);
        Assert.Contains("shape 1x1x32x32 -> 10, same True, finite True", log);
    }

    [Fact]
    public void ANativeAotPublishRunsTheGeneratedClassWithoutTrimmingOrAotWarnings()
    {
        var app = AppCallingTheGeneratedClass("<PublishAot>true</PublishAot>");
        var (code, log) = app.Dotnet("publish -c Release -r linux-x64 -v n");
        Assert.True(code == 0, log);
        // IL2xxx are trimming warnings, IL3xxx NativeAOT ones: the generated code and the kernels have none.
        Assert.DoesNotMatch(@"warning IL[23]\d{3}", log);
        var native = Path.Combine(app.Folder, "bin", "Release", "net10.0", "linux-x64", "publish", "app");
        Assert.False(File.Exists(native + ".dll"), "the publish is not native");
        var (runCode, output) = DotnetCli.RunProgram(native, app.Folder, "");
        Assert.True(runCode == 0, output);
        Assert.Contains("shape 1x1x32x32 -> 10, same True, finite True", output);
    }

    /// <summary>A consumer whose Program calls the generated class every way: static Infer, a session, metadata.</summary>
    private Consumer AppCallingTheGeneratedClass(string properties = "")
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" ClassName="Net" Namespace="My.Models" Fp32Layers="2" />""", properties);
        app.Copy(Model, "model.onnx");
        File.WriteAllText(Path.Combine(app.Folder, "Program.cs"), """
            using System;
            using System.Linq;
            using My.Models;
            var x = new float[Net.InputLength];
            for (int i = 0; i < x.Length; i++) x[i] = (i % 7) * 0.25f - 0.8f;
            var y = Net.Infer(x);
            var session = Net.CreateSession();
            var z = new float[Net.OutputLength];
            session.Infer(x, z);
            System.Console.WriteLine($"shape {string.Join("x", Net.InputShape.ToArray())} -> {y.Length}, same {y.AsSpan().SequenceEqual(z)}, finite {y.All(float.IsFinite)}");
            """);
        return app;
    }

    [Fact]
    public void TwoModelsAndTwoItemsOfOneModelAreBuiltAndReRunSeparately()
    {
        const string other = """<QuantizedModel Include="other.onnx" ClassName="C" Fp32Layers="none" />""";
        var app = feed.CreateConsumer("""
            <QuantizedModel Include="model.onnx" ClassName="A" Fp32Layers="none" />
            <QuantizedModel Include="model.onnx" ClassName="B" Fp32Layers="1" />
            """ + other);
        app.Copy(Model, "model.onnx");
        app.Copy(SharedData.Require("models/fmnist/squeezenet1.1.onnx"), "other.onnx");
        var (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "A: 22 int8 / 0 fp32", log);
        Assert.Contains(Ran + "B: 21 int8 / 1 fp32", log);
        Assert.Contains("quantune: other.onnx → C: ", log);

        app.WriteProject("""
            <QuantizedModel Include="model.onnx" ClassName="A" Fp32Layers="2" />
            <QuantizedModel Include="model.onnx" ClassName="B" Fp32Layers="1" />
            """ + other);
        (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "A: 20 int8 / 2 fp32", log);
        Assert.DoesNotContain(Ran + "B:", log);
        Assert.DoesNotContain("quantune: other.onnx", log);
    }

    [Fact]
    public void AFolderOfImagesCalibratesAndAnImageAddedOrChangedReRunsTheModel()
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" Calibration="calib" Preprocess="preprocess.json" Fp32Layers="none" />""");
        app.Copy(SharedData.Require("models/imagenet/squeezenet1.1.onnx"), "model.onnx");
        var images = SharedData.Require("data/imagenet-samples/images");
        for (int i = 0; i < 3; i++) app.Copy(Path.Combine(images, $"{i:D4}.jpg"), $"calib/{i:D4}.jpg");
        File.WriteAllText(Path.Combine(app.Folder, "preprocess.json"), """{ "color": "bgr", "crop": 224, "mean": [104, 117, 123] }""");
        string plan = Path.Combine(app.Artefacts, "Model.plan.json");

        var (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "Model: 38 int8 / 0 fp32", log);
        Assert.DoesNotContain("QV0050", log);
        Assert.Contains("\"samples\": 3", File.ReadAllText(plan));

        (code, log) = app.Dotnet("build -v n");
        Assert.Contains(Skipped, log);

        app.Copy(Path.Combine(images, "0003.jpg"), "calib/0003.jpg");
        (code, log) = app.Dotnet("build -v n");
        Assert.True(code == 0, log);
        Assert.Contains(Ran + "Model:", log);
        Assert.Contains("\"samples\": 4", File.ReadAllText(plan));

        // A changed image (not the spec, not an option) makes the run out of date too.
        File.SetLastWriteTimeUtc(Path.Combine(app.Folder, "calib", "0001.jpg"), DateTime.UtcNow);
        (code, log) = app.Dotnet("build -v n");
        Assert.Contains(Ran + "Model:", log);
        (code, log) = app.Dotnet("build -v n");
        Assert.Contains(Skipped, log);
    }

    [Fact]
    public void ProjectsBuiltInParallelEachQuantizeTheirOwnModels()
    {
        // Three apps with two models each, in one solution built with two MSBuild nodes.
        var apps = new[] { "A", "B", "C" }.Select(name =>
        {
            var app = feed.CreateConsumer($"""
                <QuantizedModel Include="model.onnx" ClassName="{name}1" Fp32Layers="none" />
                <QuantizedModel Include="model.onnx" ClassName="{name}2" Fp32Layers="1" />
                """);
            app.Copy(Model, "model.onnx");
            return app;
        }).ToArray();
        var root = Path.GetDirectoryName(apps[0].Folder)!;
        var solution = $"all-{Guid.NewGuid():N}"[..12];
        Assert.Equal(0, DotnetCli.Run(root, $"new sln -n {solution} --format sln").ExitCode);
        foreach (var app in apps) Assert.Equal(0, DotnetCli.Run(root, $"sln {solution}.sln add {Path.Combine(app.Folder, "app.csproj")}").ExitCode);
        File.Copy(Path.Combine(apps[0].Folder, "nuget.config"), Path.Combine(root, "nuget.config"), overwrite: true);

        var (code, log) = DotnetCli.Run(root, $"build {solution}.sln -m:2 -v n", new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.Packages });
        Assert.True(code == 0, log);
        foreach (var (app, name) in apps.Zip(new[] { "A", "B", "C" }))
        {
            Assert.Contains(Ran + name + "1: 22 int8 / 0 fp32", log);
            Assert.Contains(Ran + name + "2: 21 int8 / 1 fp32", log);
            Assert.True(File.Exists(Path.Combine(app.Artefacts, name + "2.plan.json")));
        }
    }

    [Fact]
    public void ABrokenModelFailsWithItsCodeAndLeavesNoArtefacts()
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="broken.onnx" />""");
        File.WriteAllBytes(Path.Combine(app.Folder, "broken.onnx"), [0x08, 0x07, 0x12, 0xff, 0xff, 0xff, 0x01]);
        var (code, log) = app.Dotnet("build -v n");
        Assert.NotEqual(0, code);
        Assert.Matches(@"broken\.onnx ?: error QV000\d", log);
        Assert.Empty(Directory.Exists(app.Artefacts) ? Directory.GetFiles(app.Artefacts, "*.plan.json").Concat(Directory.GetFiles(app.Artefacts, "*.weights")) : []);
    }

    [Fact]
    public void MissingCalibrationDataDuplicateAndInvalidClassNamesAreClearErrors()
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" Calibration="data/missing.json" />""");
        app.Copy(Model, "model.onnx");
        var (code, log) = app.Dotnet("build -v n");
        Assert.NotEqual(0, code);
        Assert.Contains("error QV0030", log);
        Assert.Contains("missing.json", log);

        File.WriteAllText(Path.Combine(app.Folder, "calib.json"), "{}");
        app.WriteProject("""<QuantizedModel Include="model.onnx" Calibration="calib.json" Preprocess="calib.json" />""");
        (code, log) = app.Dotnet("build -v n");
        Assert.NotEqual(0, code);
        Assert.Matches(@"error QV0030: QuantizedModel '[^']*model\.onnx': Preprocess applies to a Calibration folder of images", log);

        app.WriteProject("""
            <QuantizedModel Include="model.onnx" />
            <QuantizedModel Include="model.onnx" Fp32Layers="1" />
            """);
        (code, log) = app.Dotnet("build -v n");
        Assert.NotEqual(0, code);
        Assert.Contains("error QV0060: 2 QuantizedModel items generate the class 'Model'", log);

        app.WriteProject("""<QuantizedModel Include="model.onnx" ClassName="%(Identity)_int8" />""");
        (code, log) = app.Dotnet("build -v n");
        Assert.NotEqual(0, code);
        Assert.Matches(@"error QV0061: QuantizedModel '[^']*model\.onnx': ClassName 'model\.onnx_int8'", log);
        Assert.DoesNotContain("CS8785", log);
    }

    [Theory]
    [InlineData("linux-arm64", "arm64")]
    [InlineData("linux-x64", "x64")]
    public void ARidSpecificBuildHandsTheRidTheClassAndTheWeightsToTheGenerator(string rid, string platform)
    {
        var app = feed.CreateConsumer("""<QuantizedModel Include="model.onnx" Fp32Layers="none" />""");
        app.Copy(Model, "model.onnx");
        var (code, log) = app.Dotnet($"build -r {rid} -v n");
        Assert.True(code == 0, log);
        var config = File.ReadAllText(Path.Combine(app.Folder, "obj", "Debug", "net10.0", rid, "app.GeneratedMSBuildEditorConfig.editorconfig"));
        Assert.Contains($"build_property.RuntimeIdentifier = {rid}", config);
        Assert.Contains($"build_property.PlatformTarget = {platform}", config);
        // Defaults: the class from the file name, the namespace from RootNamespace (the project's name).
        Assert.Contains("build_metadata.AdditionalFiles.QuantuneV2ClassName = Model", config);
        Assert.Contains("build_metadata.AdditionalFiles.QuantuneV2Namespace = app", config);
        Assert.Contains("build_metadata.AdditionalFiles.QuantuneV2Weights = QuantuneV2.Model.weights", config);
        // The app gets the kernels of its architecture only, and weights packed for them (the int8-domain biases are arm64's).
        Assert.Equal([platform], KernelsAssembly.Architectures(Path.Combine(app.Folder, "bin", "Debug", "net10.0", rid, "QuantuneV2.Kernels.dll")));
        var program = File.ReadAllText(Directory.GetFiles(Path.Combine(app.Folder, "obj", "Debug", "net10.0", rid, "quantune"), "*.program.txt").Single());
        Assert.Contains("FoldedBias=#", program);
        Assert.Equal(platform == "arm64", program.Contains("SignedFoldedBias=#", StringComparison.Ordinal));
    }

    private static List<string> ManifestResources(string assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return [.. md.ManifestResources.Select(h => md.GetString(md.GetManifestResource(h).Name))];
    }
}
