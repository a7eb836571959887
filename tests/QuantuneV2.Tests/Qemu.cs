using QuantuneV2.Tests.MSBuild;

namespace QuantuneV2.Tests;

/// <summary>
/// Runs linux-arm64 programs under qemu-aarch64 (user mode), with the arm64 libraries of
/// <c>.ci/install-arm64-emulation</c>. Under CI (CI=true) a missing emulator is a failure; locally the test is skipped.
/// </summary>
internal static class Qemu
{
    /// <summary>qemu's default CPU has the dot-product extension (the Dp path); a Cortex-A72 has AdvSimd only.</summary>
    public const string DotProductCpu = "max", AdvSimdCpu = "cortex-a72";

    public static void Require()
    {
        bool present = File.Exists("/lib/ld-linux-aarch64.so.1")
            && (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "qemu-aarch64")));
        if (present) return;
        const string msg = "qemu-aarch64 or the arm64 libraries are missing (run .ci/install-arm64-emulation)";
        if (SharedData.IsCi) throw new InvalidOperationException(msg);
        Assert.Skip(msg);
    }

    /// <summary>A self-contained linux-arm64 executable on <paramref name="cpu"/>. qemu-user crashes on .NET's double-mapped W^X pages, so they are off.</summary>
    public static (int ExitCode, string Output) Run(string executable, string cpu) =>
        DotnetCli.RunProgram("qemu-aarch64", Path.GetDirectoryName(executable)!, $"-L / -cpu {cpu} \"{executable}\"",
            new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });
}
