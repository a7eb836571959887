using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

/// <summary>The instruction sets of the int8 kernels, narrowest first.</summary>
public enum Int8Isa
{
    Scalar,
    /// <summary>x64 AVX-VNNI: VPDPBUSD on 256-bit vectors (u8 × s8, four products summed into each int32, exact).</summary>
    AvxVnni,
}

/// <summary>
/// The one place that chooses the int8 kernels' path: the widest the runtime accelerates, detected once
/// (<c>DOTNET_EnableAVXVNNI=0</c> and the other switches narrow it), or narrower for a test.
/// </summary>
public static class Int8Dispatch
{
    private static readonly AsyncLocal<Int8Isa?> s_forced = new();

    public static Int8Isa Detected { get; } = AvxVnni.IsSupported ? Int8Isa.AvxVnni : Int8Isa.Scalar;

    public static Int8Isa Current => s_forced.Value ?? Detected;

    /// <summary>Test hook: the kernels take <paramref name="isa"/> on this async flow until disposed.</summary>
    public static IDisposable Force(Int8Isa isa)
    {
        if (isa > Detected) throw new ArgumentOutOfRangeException(nameof(isa), isa, $"this machine accelerates up to {Detected}");
        var previous = s_forced.Value;
        s_forced.Value = isa;
        return new Restore(previous);
    }

    private sealed class Restore(Int8Isa? previous) : IDisposable
    {
        public void Dispose() => s_forced.Value = previous;
    }
}
