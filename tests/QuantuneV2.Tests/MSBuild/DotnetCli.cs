using System.Diagnostics;

namespace QuantuneV2.Tests.MSBuild;

/// <summary>Runs the dotnet CLI as a user would, in a folder, and returns its exit code and combined output.</summary>
internal static class DotnetCli
{
    public static (int ExitCode, string Output) Run(string folder, string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunProgram("dotnet", folder, arguments, environment);

    /// <summary>Any program, with the same environment and time limit (e.g. a built app under qemu).</summary>
    public static (int ExitCode, string Output) RunProgram(string program, string folder, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host's own MSBuild settings must not leak into the builds under test.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} in {folder} did not finish in 10 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
