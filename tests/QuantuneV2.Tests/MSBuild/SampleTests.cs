namespace QuantuneV2.Tests.MSBuild;

/// <summary>The README's main command: samples/ResNet18 built and run against the freshly packed package.</summary>
[Collection(PackageFeedCollection.Name)]
public class SampleTests(PackageFeed feed)
{
    [Fact]
    public void TheResNet18SampleBuildsItsZooModelQuantizesItAndRunsTheGeneratedClass()
    {
        // A copy of samples/ as it is in the repository, its feed pointed at the test's (so nothing is packed again).
        var root = Path.Combine(feed.Root, "samples-" + Guid.NewGuid().ToString("N")[..8]);
        var samples = Path.Combine(root, "samples");
        Directory.CreateDirectory(Path.Combine(samples, "ResNet18"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "ResNet18/ResNet18.csproj", "ResNet18/Program.cs" })
            File.Copy(Path.Combine(RepoPaths.Root, "samples", file), Path.Combine(samples, file));
        File.WriteAllText(Path.Combine(samples, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed.Feed}\" /></packageSources></configuration>\n");

        var (code, log) = DotnetCli.Run(samples, $"run -c Release --project ResNet18 -p:QuantuneV2LocalFeed={feed.Feed}",
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.Packages });
        Assert.True(code == 0, log);
        Assert.DoesNotContain("Packing QuantuneV2.Build", log);
        Assert.Contains("resnet18.onnx: 23 layers, 21 int8, fp32: ", log);
        Assert.Contains("input 1x3x224x224, output 1x1000, 1.81 G MACs", log);
        Assert.Matches(@"top-5 classes: \d+ \(", log);
    }
}
