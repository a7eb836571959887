using System.IO.Compression;

namespace QuantuneV2.Tests.MSBuild;

[Collection(PackageFeedCollection.Name)]
public class PackageContentsTests(PackageFeed feed)
{
    [Fact]
    public void ThePackageHoldsTheTargetsTheTaskAndTheToolAndDependsOnNothing()
    {
        using var zip = ZipFile.OpenRead(feed.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("build/QuantuneV2.Build.props", entries);
        Assert.Contains("build/QuantuneV2.Build.targets", entries);
        Assert.Contains("tasks/net10.0/QuantuneV2.Tasks.dll", entries);
        foreach (var tool in new[] { "quantune.dll", "quantune.runtimeconfig.json", "quantune.deps.json", "QuantuneV2.Planning.dll", "Google.Protobuf.dll" })
            Assert.Contains($"tools/quantune/{tool}", entries);
        // No lib/: the package adds nothing to the user's references (the generator's runtime support comes with it later).
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        using var nuspec = new StreamReader(zip.GetEntry("QuantuneV2.Build.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        Assert.DoesNotContain("<dependency ", text);
        Assert.Contains("<developmentDependency>true</developmentDependency>", text);
    }
}
