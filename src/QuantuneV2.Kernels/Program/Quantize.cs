using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// fp32 → int8/uint8 at an fp32→int8 boundary: y = saturate(round_half_even(x / Scale) + ZeroPoint); NaN gives 0.
/// The input is row-major (NCHW); the output is channels-last: images of Plane pixels × Channels (1 and 1 for a value
/// stored row-major). Each input plane is quantized 16 values at a time in 128-bit vectors, then spread into its
/// channel's positions.
/// </summary>
public static class Quantize
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
        var x = Arena.Floats(arena, a.X, a.Count);
        var y = arena.Slice(a.Y, a.Count);
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
                Values(a, x.Slice(n * image + c * a.Plane, a.Plane), plane);
                fixed (byte* to = y.Slice(n * image + c), from = plane)
                    for (int i = 0; i < a.Plane; i++) to[i * a.Channels] = from[i];
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Values(Args a, ReadOnlySpan<float> x, Span<byte> y)
    {
        int lo = a.Signed ? -128 : 0, hi = a.Signed ? 127 : 255, i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var scale = Vector128.Create(a.Scale);
            var zero = Vector128.Create((float)a.ZeroPoint);
            var min = Vector128.Create((float)lo);
            var max = Vector128.Create((float)hi);
            // NaN becomes 0 before the clamp, as the scalar code's IsNaN test does (0 lies inside both ranges).
            Vector128<int> One(Vector128<float> v)
            {
                var q = Vector128.Round(v / scale) + zero;
                return Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(Vector128.ConditionalSelect(Vector128.Equals(q, q), q, Vector128<float>.Zero), min), max));
            }
            for (; i <= x.Length - 16; i += 16)
                Requantization.Narrow(One(Vector128.Create(x.Slice(i, 4))), One(Vector128.Create(x.Slice(i + 4, 4))),
                    One(Vector128.Create(x.Slice(i + 8, 4))), One(Vector128.Create(x.Slice(i + 12, 4)))).CopyTo(y.Slice(i, 16));
        }
        for (; i < x.Length; i++)
        {
            float q = MathF.Round(x[i] / a.Scale, MidpointRounding.ToEven) + a.ZeroPoint;
            int v = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, lo, hi);
            y[i] = a.Signed ? (byte)(sbyte)v : (byte)v;
        }
    }
}
