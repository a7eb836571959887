using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// int8/uint8 → fp32 at an int8→fp32 boundary: y = float32(x − ZeroPoint) · Scale. The input is channels-last
/// (images of Plane pixels × Channels; 1 and 1 for a value stored row-major), the output row-major (NCHW): each
/// channel's plane is gathered, then converted 16 values at a time in 128-bit vectors.
/// </summary>
public static class Dequantize
{
    public sealed class Args
    {
        public float Scale;
        public int ZeroPoint, X, Y, Count, Channels = 1, Plane = 1;
        public bool Signed;
    }

    [ThreadStatic] private static byte[]? t_plane;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(Args a, Span<byte> arena)
    {
        var x = arena.Slice(a.X, a.Count);
        var y = Arena.Floats(arena, a.Y, a.Count);
        if (a.Channels == 1 || a.Plane == 1)
        {
            Values(a, x, y);
            return;
        }
        var plane = t_plane is { } p && p.Length >= a.Plane ? p : t_plane = new byte[a.Plane];
        int image = a.Channels * a.Plane;
        for (int n = 0; n < a.Count / image; n++)
            for (int c = 0; c < a.Channels; c++)
            {
                fixed (byte* from = x.Slice(n * image + c), to = plane)
                    for (int i = 0; i < a.Plane; i++) to[i] = from[i * a.Channels];
                Values(a, plane.AsSpan(0, a.Plane), y.Slice(n * image + c * a.Plane, a.Plane));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Values(Args a, ReadOnlySpan<byte> x, Span<float> y)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var scale = Vector128.Create(a.Scale);
            var zero = Vector128.Create(a.ZeroPoint);
            for (; i <= x.Length - 16; i += 16)
            {
                var (v0, v1, v2, v3) = Requantization.Widen(Vector128.Create(x.Slice(i, 16)), a.Signed);
                (Vector128.ConvertToSingle(v0 - zero) * scale).CopyTo(y.Slice(i, 4));
                (Vector128.ConvertToSingle(v1 - zero) * scale).CopyTo(y.Slice(i + 4, 4));
                (Vector128.ConvertToSingle(v2 - zero) * scale).CopyTo(y.Slice(i + 8, 4));
                (Vector128.ConvertToSingle(v3 - zero) * scale).CopyTo(y.Slice(i + 12, 4));
            }
        }
        for (; i < x.Length; i++) y[i] = ((a.Signed ? (sbyte)x[i] : x[i]) - a.ZeroPoint) * a.Scale;
    }
}
