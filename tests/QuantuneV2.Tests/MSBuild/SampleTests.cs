using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.MSBuild;

/// <summary>The samples, built and run against the freshly packed package: samples/Zoo (the README's main command) and samples/ImageNet.</summary>
[Collection(PackageFeedCollection.Name)]
public class SampleTests(PackageFeed feed)
{
    [Theory]
    [InlineData("", "Samples.ResNet18 from resnet18.onnx: 23 layers, 21 int8, fp32: ", "1.81 G MACs")]
    [InlineData("mobilenetv2", "Samples.MobileNetV2 from mobilenetv2.onnx: 54 layers, 52 int8, fp32: ", "0.30 G MACs")]
    public void TheZooSampleBuildsItsModelQuantizesItAndRunsTheGeneratedClass(string model, string layers, string macs)
    {
        var samples = CopySamples();
        var choice = model.Length == 0 ? "" : $" -p:ZooModel={model}";
        var (code, log) = DotnetCli.Run(samples, $"run -c Release --project Zoo{choice} -p:QuantuneV2LocalFeed={feed.Feed}", PackageCache);
        Assert.True(code == 0, log);
        Assert.DoesNotContain("Packing QuantuneV2.Build", log);
        Assert.Contains(layers, log);
        Assert.Contains($"input 1x3x224x224, output 1x1000, {macs}", log);
        Assert.Matches(@"top-5 classes: \d+ \(", log);
    }

    [Fact]
    public void AnUnknownZooModelIsAClearError()
    {
        var (code, log) = DotnetCli.Run(CopySamples(), $"build Zoo -p:ZooModel=alexnet -p:QuantuneV2LocalFeed={feed.Feed}", PackageCache);
        Assert.NotEqual(0, code);
        Assert.Contains("ZooModel 'alexnet' is not one of resnet18, resnet50, squeezenet1.1, vgg16, mobilenetv2.", log);
    }

    [Fact]
    public void TheSampleBuiltForLinuxArm64RunsUnderQemuTheSameOnBothArmPaths()
    {
        Qemu.Require();
        var samples = CopySamples();
        // Self-contained, as qemu has no arm64 .NET runtime to run a framework-dependent app with.
        var (code, log) = DotnetCli.Run(samples, $"build Zoo -c Release -r linux-arm64 --self-contained -p:QuantuneV2LocalFeed={feed.Feed}", PackageCache);
        Assert.True(code == 0, log);
        var output = Path.Combine(samples, "Zoo", "bin", "Release", "net10.0", "linux-arm64");
        Assert.Equal(["arm64"], KernelsAssembly.Architectures(Path.Combine(output, "QuantuneV2.Kernels.dll")));

        var (dpCode, dp) = Qemu.Run(Path.Combine(output, "Zoo"), Qemu.DotProductCpu);
        var (advSimdCode, advSimd) = Qemu.Run(Path.Combine(output, "Zoo"), Qemu.AdvSimdCpu);
        Assert.True(dpCode == 0, dp);
        Assert.True(advSimdCode == 0, advSimd);
        Assert.Contains("Samples.ResNet18 from resnet18.onnx: 23 layers, 21 int8, fp32: ", dp);
        // The int8 layers are bit-identical on every path, and both runs share the fp32 code: the same logits.
        Assert.Equal(TopFive(dp), TopFive(advSimd));
    }

    [Fact]
    public void TheImageNetSampleCalibratesOnRealImagesAndPrintsTheMixedTop1NextToFp32()
    {
        var model = SharedData.Require("models/imagenet/squeezenet1.1.onnx");
        var samples = CopySamples("ImageNet", "datasets/imagenet-samples-calib.json");
        var environment = PackageCache;
        environment["QUANTUNE_SHARED"] = SharedData.Root!;
        var (code, log) = DotnetCli.Run(samples, $"run -c Release --project ImageNet -p:QuantuneV2LocalFeed={feed.Feed}", environment);
        Assert.True(code == 0, log);
        var result = System.Text.RegularExpressions.Regex.Match(log, @"top-1 on 900 ImageNet sample images: mixed int8/fp32 (\d\.\d{4}), fp32 (\d\.\d{4}), same class (\d\.\d{4})");
        Assert.True(result.Success, log);
        // The generated all-fp32 class scores what the fp32 executor scores on the same 900 images.
        var fp32 = Evaluator.Run(OnnxModel.Load(model), Dataset.Load(RepoPaths.SampleSpec("imagenet-samples-eval.json"))).Top1;
        Assert.Equal(fp32.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), result.Groups[2].Value);
        double mixed = double.Parse(result.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(mixed >= fp32 - 0.02, $"mixed top-1 {mixed} against fp32 {fp32}");
    }

    private Dictionary<string, string> PackageCache => new() { ["NUGET_PACKAGES"] = feed.Packages };

    private static string TopFive(string log) => log.Split('\n').Single(l => l.StartsWith("top-5 classes: ", StringComparison.Ordinal));

    /// <summary>A copy of a sample as it is in the repository, its feed pointed at the test's (so nothing is packed again).</summary>
    private string CopySamples(string project = "Zoo", params string[] more)
    {
        var samples = Path.Combine(feed.Root, "samples-" + Guid.NewGuid().ToString("N")[..8], "samples");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", $"{project}/{project}.csproj", $"{project}/Program.cs" }.Concat(more))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(samples, file))!);
            File.Copy(Path.Combine(RepoPaths.Root, "samples", file), Path.Combine(samples, file));
        }
        File.WriteAllText(Path.Combine(samples, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed.Feed}\" /></packageSources></configuration>\n");
        return samples;
    }
}
