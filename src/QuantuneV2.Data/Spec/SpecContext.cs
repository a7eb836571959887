using System.Text.RegularExpressions;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Data.Spec;

/// <summary>
/// Where a spec lives and how its paths are resolved: <c>${NAME}</c> is replaced by the environment
/// variable NAME, then a relative path is taken relative to the spec file's folder.
/// <c>${QUANTUNE_SHARED}</c> falls back to <c>../shared</c> beside the git repository that holds the
/// current directory, the layout this project's machines and CI use.
/// </summary>
internal sealed partial class SpecContext
{
    public const string SharedVariable = "QUANTUNE_SHARED";

    private readonly Func<string, string?> _environment;
    private readonly string _currentDirectory;

    public SpecContext(string specPath, Func<string, string?> environment, string currentDirectory)
    {
        SpecPath = specPath;
        Folder = Path.GetDirectoryName(specPath) ?? currentDirectory;
        _environment = environment;
        _currentDirectory = currentDirectory;
    }

    public string SpecPath { get; }
    public string Folder { get; }

    public QuantuneException Error(string message) => DatasetErrors.Spec(SpecPath, message);

    /// <summary>The absolute path a spec field names.</summary>
    public string ResolvePath(string field, string value)
    {
        var expanded = Expand(field, value);
        try
        {
            return Path.GetFullPath(Path.Combine(Folder, expanded));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Error($"field '{field}': '{expanded}' is not a valid path ({e.Message})");
        }
    }

    public string Expand(string field, string value)
    {
        var result = Variable().Replace(value, m => Lookup(field, m.Groups[1].Value));
        if (result.Contains("${", StringComparison.Ordinal))
            throw Error($"field '{field}': '{value}' has a '${{' that does not start a variable: write ${{NAME}} with letters, digits and '_'");
        return result;
    }

    private string Lookup(string field, string name)
    {
        var value = _environment(name);
        if (!string.IsNullOrEmpty(value)) return value;
        if (name == SharedVariable)
        {
            return DefaultShared(_currentDirectory) ?? throw Error(
                $"field '{field}': ${{{SharedVariable}}} is not set and the current directory ({_currentDirectory}) is not inside a git repository, so ../shared beside it cannot be found; set {SharedVariable}");
        }
        throw Error($"field '{field}': environment variable {name} is not set");
    }

    /// <summary><c>../shared</c> beside the nearest folder at or above <paramref name="start"/> that holds <c>.git</c> (a folder, or a file in a worktree).</summary>
    internal static string? DefaultShared(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        }
        return null;
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
