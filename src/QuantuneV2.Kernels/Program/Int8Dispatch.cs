#if KERNELS_ARM64
using System.Runtime.Intrinsics.Arm;
#endif
#if KERNELS_X64
using System.Runtime.Intrinsics.X86;
#endif

namespace QuantuneV2.Kernels.Program;

/// <summary>The instruction sets of the int8 kernels, in order of preference (the last supported one wins).</summary>
public enum Int8Isa
{
    Scalar,
    /// <summary>x64 AVX2: u8 and s8 widened to s16, then VPMADDWD (exact: pairs of products into int32).</summary>
    Avx2,
    /// <summary>x64 AVX-512BW: as <see cref="Avx2"/> on 512-bit vectors.</summary>
    Avx512BW,
    /// <summary>x64 AVX-VNNI: VPDPBUSD on 256-bit vectors (u8 × s8, four products summed into each int32, exact).</summary>
    AvxVnni,
    /// <summary>arm64 AdvSimd: s8 × s8 products into s16 (SMULL), pairs added into int32 (SADALP): exact.</summary>
    AdvSimd,
    /// <summary>arm64 dot product: SDOT on 128-bit vectors (s8 × s8, four products summed into each int32, exact).</summary>
    Dp,
}

/// <summary>
/// The one place that chooses the int8 kernels' path: the most preferred one the runtime accelerates, detected
/// once (<c>DOTNET_EnableAVXVNNI=0</c>, <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>,
/// <c>DOTNET_EnableArm64Dp=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> narrow it, as does a CPU without them), or another
/// supported one for a test.
/// </summary>
public static class Int8Dispatch
{
    private static readonly AsyncLocal<(Int8Isa Isa, bool Winograd)?> s_forced = new();

    /// <summary>Every path this machine can run, in order of preference.</summary>
    public static IReadOnlyList<Int8Isa> Supported { get; } = [.. Enum.GetValues<Int8Isa>().Where(IsSupported)];

    public static Int8Isa Detected { get; } = Supported[^1];

    public static Int8Isa Current => s_forced.Value?.Isa ?? Detected;

    /// <summary>
    /// Whether this machine runs the Winograd 3×3 kernels (QConv2d.Winograd.Avx512BW.cs): where AVX-512BW runs, for the
    /// paths whose other layers use 512-bit epilogues (<see cref="Int8Isa.AvxVnni"/> and <see cref="Int8Isa.Avx512BW"/>).
    /// </summary>
#if KERNELS_X64
    public static bool WinogradSupported { get; } = Avx512BW.IsSupported;
#else
    public static bool WinogradSupported => false;
#endif

    /// <summary>Whether 3×3 stride-1 layers take Winograd on <paramref name="isa"/>.</summary>
    public static bool Winograd(Int8Isa isa) =>
        WinogradSupported && isa is Int8Isa.AvxVnni or Int8Isa.Avx512BW && (s_forced.Value?.Winograd ?? true);

    /// <summary>Test hook: the kernels take <paramref name="isa"/> (and Winograd where it applies, unless <paramref name="winograd"/> is false) on this async flow until disposed.</summary>
    public static IDisposable Force(Int8Isa isa, bool winograd = true)
    {
        if (!IsSupported(isa)) throw new ArgumentOutOfRangeException(nameof(isa), isa, "this machine does not accelerate it");
        var previous = s_forced.Value;
        s_forced.Value = (isa, winograd);
        return new Restore(previous);
    }

    private static bool IsSupported(Int8Isa isa) => isa switch
    {
#if KERNELS_X64
        Int8Isa.Avx2 => Avx2.IsSupported,
        Int8Isa.Avx512BW => Avx512BW.IsSupported,
        Int8Isa.AvxVnni => AvxVnni.IsSupported,
#endif
#if KERNELS_ARM64
        Int8Isa.AdvSimd => AdvSimd.Arm64.IsSupported,
        Int8Isa.Dp => Dp.IsSupported && AdvSimd.Arm64.IsSupported,
#endif
        Int8Isa.Scalar => true,
        _ => false,
    };

    private sealed class Restore((Int8Isa, bool)? previous) : IDisposable
    {
        public void Dispose() => s_forced.Value = previous;
    }
}
