using System.IO.Compression;
using System.Reflection.Metadata;

namespace QuantuneV2.Tests.MSBuild;

[Collection(PackageFeedCollection.Name)]
public class PackageContentsTests(PackageFeed feed)
{
    [Fact]
    public void ThePackageHoldsTheTargetsTheTaskTheToolTheGeneratorAndTheKernels()
    {
        using var zip = ZipFile.OpenRead(feed.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("build/QuantuneV2.Build.props", entries);
        Assert.Contains("build/QuantuneV2.Build.targets", entries);
        Assert.Contains("tasks/net10.0/QuantuneV2.Tasks.dll", entries);
        Assert.Contains("tasks/net472/QuantuneV2.Tasks.dll", entries);
        foreach (var tool in new[] { "quantune.dll", "quantune.runtimeconfig.json", "quantune.deps.json", "QuantuneV2.Planning.dll", "Google.Protobuf.dll" })
            Assert.Contains($"tools/quantune/{tool}", entries);
        Assert.Contains("analyzers/dotnet/cs/QuantuneV2.Generator.dll", entries);
        // The generated code's run-time kernels are the one library the user's assembly references.
        Assert.Equal(["lib/net10.0/QuantuneV2.Kernels.dll"], entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal)));
        // The portable kernels hold both architectures' paths; a RID-specific build takes one architecture's only.
        Assert.Equal(["x64", "arm64"], KernelsAssembly.Architectures(Entry(zip, "lib/net10.0/QuantuneV2.Kernels.dll")));
        foreach (var os in new[] { "unix", "win" })
            foreach (var architecture in new[] { "x64", "arm64" })
                Assert.Equal([architecture], KernelsAssembly.Architectures(Entry(zip, $"runtimes/{os}-{architecture}/lib/net10.0/QuantuneV2.Kernels.dll")));
        Assert.Equal(4, entries.Count(e => e.StartsWith("runtimes/", StringComparison.Ordinal)));
        using var nuspec = new StreamReader(zip.GetEntry("QuantuneV2.Build.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        // Their one dependency; the build-time parts (task, tool, generator) bring none.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "<dependency "));
        Assert.Contains("<dependency id=\"System.Numerics.Tensors\"", text);
        Assert.Matches(@"^\d+\.\d+\.\d+-dev\.\d{14}$", feed.Version);
    }

    [Fact]
    public void TheNetFrameworkTaskReferencesOnlyWhatVisualStudiosMSBuildHas()
    {
        // Not loadable here (no .NET Framework MSBuild on Linux), so check what it would ask the host for:
        // the framework and MSBuild's own assemblies, nothing (e.g. System.Text.Json) that VS may hold in another version.
        using var zip = ZipFile.OpenRead(feed.Package);
        using var pe = new System.Reflection.PortableExecutable.PEReader(Entry(zip, "tasks/net472/QuantuneV2.Tasks.dll"));
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).Order().ToArray();
        Assert.All(references, r => Assert.True(r is "mscorlib" or "System" or "System.Core" or "System.Runtime" or "Microsoft.Build.Framework" or "Microsoft.Build.Utilities.Core", r));
        Assert.Contains("Microsoft.Build.Utilities.Core", references);
        var framework = md.GetCustomAttributes(EntityHandle.AssemblyDefinition).Select(h => md.GetCustomAttribute(h))
            .Any(a => System.Text.Encoding.UTF8.GetString(md.GetBlobBytes(a.Value)).Contains(".NETFramework,Version=v4.7.2"));
        Assert.True(framework, "the task is not built for .NET Framework 4.7.2");
    }

    /// <summary>A package entry as a seekable stream (PEReader needs one).</summary>
    private static MemoryStream Entry(ZipArchive zip, string name)
    {
        var stream = new MemoryStream();
        using (var entry = zip.GetEntry(name)!.Open()) entry.CopyTo(stream);
        stream.Position = 0;
        return stream;
    }
}
