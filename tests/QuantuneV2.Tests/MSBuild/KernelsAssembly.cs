using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace QuantuneV2.Tests.MSBuild;

/// <summary>What a build of QuantuneV2.Kernels.dll holds.</summary>
internal static class KernelsAssembly
{
    /// <summary>The architectures whose intrinsics it references: "x64" (System.Runtime.Intrinsics.X86), "arm64" (.Arm).</summary>
    public static string[] Architectures(Stream assembly)
    {
        using var pe = new PEReader(assembly);
        var md = pe.GetMetadataReader();
        var namespaces = md.TypeReferences.Select(h => md.GetString(md.GetTypeReference(h).Namespace)).ToHashSet();
        return [.. new[] { ("x64", "System.Runtime.Intrinsics.X86"), ("arm64", "System.Runtime.Intrinsics.Arm") }
            .Where(a => namespaces.Contains(a.Item2)).Select(a => a.Item1)];
    }

    public static string[] Architectures(string path) => Architectures(File.OpenRead(path));
}
