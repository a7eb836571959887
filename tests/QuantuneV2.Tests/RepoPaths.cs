namespace QuantuneV2.Tests;

/// <summary>Where the repository is, seen from the test binaries, and the files tests use from it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>samples/datasets/NAME: the dataset specs shipped with the repository.</summary>
    public static string SampleSpec(string name) => Path.Combine(Root, "samples", "datasets", name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantuneV2.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("QuantuneV2.Build.sln not found above the test binaries");
    }
}
