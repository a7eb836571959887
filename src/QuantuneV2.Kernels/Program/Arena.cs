using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>Views of a program's byte arena: each value lives at a byte offset the tool planned.</summary>
public static class Arena
{
    public static Span<float> Floats(Span<byte> arena, int offset, int count) => MemoryMarshal.Cast<byte, float>(arena.Slice(offset, count * sizeof(float)));

    /// <summary>
    /// A program's arena of <paramref name="bytes"/>, from a cache line's start: the tool places every value at a
    /// multiple of <see cref="CacheLine"/> bytes, which only lands on cache lines from there.
    /// </summary>
    public static unsafe Memory<byte> Allocate(int bytes)
    {
        var array = AllocateAligned<byte>(bytes, out byte* start);
        return array.AsMemory((int)(start - First(array)), bytes);
    }

    internal const int CacheLine = 64;

    /// <summary>
    /// A pinned array with room for <paramref name="count"/> values from a cache line's start, <paramref name="start"/>
    /// (the array keeps the memory alive). Buffers of vectors start there: arrays start 16 bytes into a line and the
    /// stack is 16-byte aligned, and a 512-bit access that straddles two lines costs two. Where that fell by chance, one
    /// process ran SqueezeNet's `loop` 13 % slower than another (docs/kernels.md, Alignment).
    /// </summary>
    internal static unsafe T[] AllocateAligned<T>(int count, out T* start) where T : unmanaged
    {
        var array = GC.AllocateArray<T>(count + CacheLine / sizeof(T), pinned: true);
        start = AlignedStart(array);
        return array;
    }

    /// <summary><paramref name="values"/> copied into an <see cref="AllocateAligned"/> array (read them from <see cref="AlignedStart"/>).</summary>
    internal static unsafe T[] AlignedCopy<T>(T[] values) where T : unmanaged
    {
        var array = AllocateAligned<T>(values.Length, out T* start);
        values.CopyTo(new Span<T>(start, values.Length));
        return array;
    }

    /// <summary>Where <see cref="AllocateAligned"/>'s values start in <paramref name="pinned"/>, one of its arrays.</summary>
    internal static unsafe T* AlignedStart<T>(T[] pinned) where T : unmanaged => Aligned(First(pinned));

    /// <summary>The first cache line's start at or after <paramref name="p"/>.</summary>
    internal static unsafe T* Aligned<T>(T* p) where T : unmanaged => (T*)(((nint)p + CacheLine - 1) & ~(nint)(CacheLine - 1));

    private static unsafe T* First<T>(T[] pinned) where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>A quantized value, int8 or uint8 by <paramref name="signed"/>.</summary>
    public static int Read(Span<byte> arena, int index, bool signed) => signed ? (sbyte)arena[index] : arena[index];
}

/// <summary>The integer output stage of docs/numerics.md, shared by every int8 kernel here.</summary>
public static class Requantization
{
    /// <summary>clamp(round_half_even(scaled) + zero) to [min, max], the sum in float as the reference does it.</summary>
    public static int Store(float scaled, int zero, int min, int max) =>
        (int)Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven) + zero, min, max);

    public static void Write(Span<byte> arena, int index, int value, bool signed) => arena[index] = signed ? (byte)(sbyte)value : (byte)value;

    /// <summary>
    /// y[i] = Store(float32(x[i] − xZero)·multiplier, yZero, yMin, yMax) over a run, 16 values per step in 128-bit
    /// vectors (SSE or AdvSimd), bit-identical to <see cref="Store"/> (<see cref="Round"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Bytes(ReadOnlySpan<byte> x, bool xSigned, int xZero, float multiplier, Span<byte> y, bool ySigned, int yZero, int yMin, int yMax)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var m = Vector128.Create(multiplier);
            var lo = Vector128.Create((float)(yMin - yZero));
            var hi = Vector128.Create((float)(yMax - yZero));
            var zx = Vector128.Create(xZero);
            var zy = Vector128.Create(yZero);
            for (; i <= x.Length - 16; i += 16)
            {
                var (a, b, c, d) = Widen(Vector128.Create(x.Slice(i, 16)), xSigned);
                Vector128<int> Scale(Vector128<int> v) => Round(Vector128.ConvertToSingle(v - zx) * m, lo, hi, zy);
                Narrow(Scale(a), Scale(b), Scale(c), Scale(d)).CopyTo(y.Slice(i, 16));
            }
        }
        for (; i < x.Length; i++)
        {
            int v = Store(((xSigned ? (sbyte)x[i] : x[i]) - xZero) * multiplier, yZero, yMin, yMax);
            y[i] = ySigned ? (byte)(sbyte)v : (byte)v;
        }
    }

    /// <summary>
    /// <see cref="Store"/> on four scaled values, with the bounds <paramref name="lo"/> = min − zero and
    /// <paramref name="hi"/> = max − zero: the clamp is taken in float before rounding (integer bounds, so it changes
    /// nothing, and the conversion stays in range), rounding is half to even (ROUNDPS or FRINTN), and the conversion
    /// of the rounded value is exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Round(Vector128<float> scaled, Vector128<float> lo, Vector128<float> hi, Vector128<int> zero) =>
        Vector128.ConvertToInt32(Vector128.Round(Vector128.Min(Vector128.Max(scaled, lo), hi))) + zero;

    /// <summary>16 stored values as four vectors of int32, sign- or zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<int>, Vector128<int>, Vector128<int>, Vector128<int>) Widen(Vector128<byte> v, bool signed)
    {
        if (signed)
        {
            var (l, h) = Vector128.Widen(v.AsSByte());
            var (a, b) = Vector128.Widen(l);
            var (c, d) = Vector128.Widen(h);
            return (a, b, c, d);
        }
        else
        {
            var (l, h) = Vector128.Widen(v);
            var (a, b) = Vector128.Widen(l);
            var (c, d) = Vector128.Widen(h);
            return (a.AsInt32(), b.AsInt32(), c.AsInt32(), d.AsInt32());
        }
    }

    /// <summary>Four vectors of int32, each value in the stored type's range, as their 16 stored bytes (truncating narrowing keeps them exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Narrow(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d) =>
        Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).AsByte();
}

/// <summary>The fused fp32 epilogue a program step names: 0 none, 1 Relu, 2 Clip (min, max), 3 LeakyRelu (alpha), 4 HardSwish.</summary>
public static class Activations
{
    public static Activation From(int kind, float[] parameters) => kind switch
    {
        0 => Activation.None,
        1 => Activation.Relu,
        2 => Activation.Clip(parameters[0], parameters[1]),
        3 => Activation.LeakyRelu(parameters[0]),
        4 => Activation.HardSwish,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };
}
