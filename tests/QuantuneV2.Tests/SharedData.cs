namespace QuantuneV2.Tests;

/// <summary>
/// The one way tests find ../shared: $QUANTUNE_SHARED, else ../shared beside the repository root.
/// Under CI (CI=true) missing shared data is a failure; locally the test is skipped with the reason.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Find();

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("QUANTUNE_SHARED");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QuantuneV2.Build.sln")))
            {
                var shared = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared");
                return Directory.Exists(shared) ? shared : null;
            }
        }
        return null;
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The absolute path of <paramref name="relative"/> under shared/, or throws/skips when it is missing.</summary>
    public static string Require(string relative)
    {
        var p = Root is null ? null : Path.Combine(Root, relative);
        if (p is not null && (File.Exists(p) || Directory.Exists(p))) return p;
        var msg = $"shared data '{relative}' not found (set QUANTUNE_SHARED or put shared/ beside the repository)";
        if (IsCi) throw new InvalidOperationException(msg);
        Assert.Skip(msg);
        return p!;
    }
}
