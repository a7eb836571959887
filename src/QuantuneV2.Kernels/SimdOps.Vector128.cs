using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
#if KERNELS_ARM64
using System.Runtime.Intrinsics.Arm;
#endif
#if KERNELS_X64
using System.Runtime.Intrinsics.X86;
#endif

namespace QuantuneV2.Kernels;

internal readonly unsafe struct Vector128Ops : ISimdOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> v) => Vector128.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Evens(Vector128<float> a, Vector128<float> b)
    {
#if KERNELS_ARM64
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.UnzipEven(a, b);
#endif
#if KERNELS_X64
        if (Sse.IsSupported)
            return Sse.Shuffle(a, b, 0b10_00_10_00);
#endif
        var order = Vector128.Create(0, 2, 1, 3);
        return Vector128.Create(Vector128.Shuffle(a, order).GetLower(), Vector128.Shuffle(b, order).GetLower());
    }
}
