namespace QuantuneV2.Tests.MSBuild;

/// <summary>
/// The QuantuneV2.Build package, packed once per test run into a local feed, and consumer projects that
/// reference it exactly as a user would (PackageReference from that feed). Each consumer restores into the
/// run's own package folder, so a re-packed package with the same version is never served stale from the
/// NuGet cache. The machine's package sources stay on for what a RID-specific build needs (runtime packs).
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Directory.CreateDirectory(Feed);
        var (code, output) = DotnetCli.Run(RepoPaths.Root, $"pack src/QuantuneV2.Package -c Release -o \"{Feed}\"");
        if (code != 0) throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        Package = Directory.GetFiles(Feed, "QuantuneV2.Build.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(Package)["QuantuneV2.Build.".Length..];
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"quantune-msbuild-{Guid.NewGuid():N}");
    public string Feed => Path.Combine(Root, "feed");
    public string Packages => Path.Combine(Root, "packages");
    public string Package { get; }
    public string Version { get; }

    /// <summary>A new console project in its own folder with <paramref name="items"/> in an ItemGroup.</summary>
    public Consumer CreateConsumer(string items, string properties = "")
    {
        var dir = Path.Combine(Root, $"app-{Guid.NewGuid():N}"[..12]);
        Directory.CreateDirectory(dir);
        var consumer = new Consumer(dir, this);
        consumer.WriteProject(items, properties);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "System.Console.WriteLine(\"built\");\n");
        File.WriteAllText(Path.Combine(dir, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{Feed}\" /></packageSources></configuration>\n");
        return consumer;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class Consumer(string folder, PackageFeed feed)
{
    public string Folder { get; } = folder;
    public string Artefacts => Path.Combine(Folder, "obj", "Debug", "net10.0", "quantune");

    public void WriteProject(string items, string properties = "") => File.WriteAllText(Path.Combine(Folder, "app.csproj"), $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>{properties}</PropertyGroup>
          <ItemGroup>
            <PackageReference Include="QuantuneV2.Build" Version="{feed.Version}" />
            {items}
          </ItemGroup>
        </Project>
        """);

    public (int ExitCode, string Output) Dotnet(string arguments) =>
        DotnetCli.Run(Folder, arguments, new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.Packages });

    public string Copy(string source, string name)
    {
        var target = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return target;
    }
}

[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "QuantuneV2.Build package";
}
