using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QuantuneV2.Kernels;

/// <summary>
/// 64-byte aligned storage: a vector load that straddles two cache lines costs two, and packed panels are read
/// many times. Arrays live on the pinned object heap, so their address is stable without <c>fixed</c>.
/// </summary>
internal static unsafe class AlignedMemory
{
    /// <summary>Floats of slack a buffer needs so that it can be aligned up to a cache line.</summary>
    internal const int Slack = 16;

    internal static float[] AllocatePinned(int length) => GC.AllocateArray<float>(length + Slack, pinned: true);

    /// <summary>The cache-line aligned start of a pinned (or currently fixed) buffer.</summary>
    internal static float* Align(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    internal static float* AlignedStart(float[] pinned) => Align((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)));

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

/// <summary>Per-thread scratch for the GEMM entry points that take no caller buffer; grows, never shrinks.</summary>
internal static unsafe class Workspace
{
    [ThreadStatic]
    private static float[]? t_floats;

    [ThreadStatic]
    private static nint[]? t_offsets;

    /// <summary>An aligned buffer of at least <paramref name="length"/> floats, valid until the next call on this thread.</summary>
    internal static float* Floats(int length)
    {
        if (t_floats is null || t_floats.Length < length + AlignedMemory.Slack)
            t_floats = AlignedMemory.AllocatePinned(length);
        return AlignedMemory.AlignedStart(t_floats);
    }

    /// <summary>A buffer of at least <paramref name="length"/> row offsets, valid until the next call on this thread.</summary>
    internal static nint* Offsets(int length)
    {
        if (t_offsets is null || t_offsets.Length < length)
            t_offsets = GC.AllocateArray<nint>(Math.Max(length, 1), pinned: true);
        return (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_offsets));
    }
}
