using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// int8/uint8 → fp32 at an int8→fp32 boundary: y = float32(x − ZeroPoint) · Scale. The input is channels-last
/// (images of Plane pixels × Channels; 1 and 1 for a value stored row-major), the output row-major (NCHW). Whole
/// blocks of 16 channels take one 16-byte load per pixel, converted in 128-bit vectors and each value stored into its
/// channel's plane (a strided read per value instead would touch a cache line per value); the channels past the
/// last block are gathered plane by plane, then converted.
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
        int image = a.Channels * a.Plane, channels = a.Channels, pixels = a.Plane;
        int blocked = Vector128.IsHardwareAccelerated ? channels / 16 * 16 : 0;
        var scale = Vector128.Create(a.Scale);
        var zero = Vector128.Create(a.ZeroPoint);
        var plane = t_plane is { } p && p.Length >= pixels ? p : t_plane = new byte[pixels];
        for (int n = 0; n < a.Count / image; n++)
            fixed (byte* xn = x.Slice(n * image))
            fixed (float* yn = y.Slice(n * image))
            {
                for (int c = 0; c < blocked; c += 16)
                    for (int i = 0; i < pixels; i++)
                    {
                        var (v0, v1, v2, v3) = Requantization.Widen(Vector128.Load(xn + i * channels + c), a.Signed);
                        float* to = yn + c * pixels + i;
                        Scatter(Four(v0, zero, scale), to, pixels);
                        Scatter(Four(v1, zero, scale), to + 4 * pixels, pixels);
                        Scatter(Four(v2, zero, scale), to + 8 * pixels, pixels);
                        Scatter(Four(v3, zero, scale), to + 12 * pixels, pixels);
                    }
                for (int c = blocked; c < channels; c++)
                {
                    for (int i = 0; i < pixels; i++) plane[i] = xn[i * channels + c];
                    Values(a, plane.AsSpan(0, pixels), new Span<float>(yn + c * pixels, pixels));
                }
            }
    }

    /// <summary>Four values, each into its own channel's plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Scatter(Vector128<float> v, float* to, int stride)
    {
        to[0] = v.ToScalar();
        to[stride] = v.GetElement(1);
        to[2 * stride] = v.GetElement(2);
        to[3 * stride] = v.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Four(Vector128<int> v, Vector128<int> zero, Vector128<float> scale) => Vector128.ConvertToSingle(v - zero) * scale;

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
                Four(v0, zero, scale).CopyTo(y.Slice(i, 4));
                Four(v1, zero, scale).CopyTo(y.Slice(i + 4, 4));
                Four(v2, zero, scale).CopyTo(y.Slice(i + 8, 4));
                Four(v3, zero, scale).CopyTo(y.Slice(i + 12, 4));
            }
        }
        for (; i < x.Length; i++) y[i] = ((a.Signed ? (sbyte)x[i] : x[i]) - a.ZeroPoint) * a.Scale;
    }
}
