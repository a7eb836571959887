using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
#if KERNELS_X64
using System.Runtime.Intrinsics.X86;
#endif

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// fp32 → int8/uint8 at an fp32→int8 boundary: y = saturate(round_half_even(x / Scale) + ZeroPoint); NaN gives 0.
/// The input is row-major (NCHW); the output is channels-last: images of Plane pixels × Channels (1 and 1 for a value
/// stored row-major). Values are quantized 16 at a time, in 256-bit vectors where those are native, else 128-bit ones.
/// Three channels (an RGB image, the usual model input) are interleaved in registers, 16 pixels per step. Whole blocks
/// of 16 channels take, per pixel, one value from each channel's plane and one 16-byte store; the channels past the
/// last block go through a plane buffer.
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

    public static void Run(Args a, Span<byte> arena) => Run(a, Arena.Floats(arena, a.X, a.Count), arena);

    /// <summary>Quantizes <paramref name="x"/> (the Count values the step would read at X, e.g. the caller's input) into the arena.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(Args a, ReadOnlySpan<float> x, Span<byte> arena)
    {
        if (x.Length != a.Count) throw new ArgumentException($"{x.Length} values where the step quantizes {a.Count}", nameof(x));
        var y = arena.Slice(a.Y, a.Count);
        if (a.Channels == 1 || a.Plane == 1)
        {
            Values(a, x, y);
            return;
        }
        var plane = t_plane is { } p && p.Length >= a.Plane ? p : t_plane = new byte[a.Plane];
        int image = a.Channels * a.Plane, channels = a.Channels;
        for (int n = 0; n < a.Count / image; n++)
        {
            var xn = x.Slice(n * image, image);
            var yn = y.Slice(n * image, image);
            int done = channels == 3 && Vector128.IsHardwareAccelerated ? ThreeChannels(a, xn, yn) : 0;
            int blocked = Vector128.IsHardwareAccelerated ? channels / 16 * 16 : 0;
            if (blocked > 0) Blocks(a, xn, yn, blocked);
            for (int c = blocked; c < channels; c++)
            {
                Values(a, xn.Slice(c * a.Plane + done, a.Plane - done), plane);
                fixed (byte* to = yn, from = plane)
                    for (int i = done; i < a.Plane; i++) to[i * channels + c] = from[i - done];
            }
        }
    }

    /// <summary>Channels [0, <paramref name="blocked"/>) of an image, 16 at a time: per pixel, one value of each channel's plane, quantized and stored together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Blocks(Args a, ReadOnlySpan<float> x, Span<byte> y, int blocked)
    {
        var k = new Constants(a);
        int pixels = a.Plane, channels = a.Channels;
        fixed (float* xn = x)
        fixed (byte* yn = y)
            for (int c = 0; c < blocked; c += 16)
                for (int i = 0; i < pixels; i++)
                {
                    float* from = xn + c * pixels + i;
                    var bytes = Vector256.IsHardwareAccelerated
                        ? k.Sixteen(Gather8(from, pixels), Gather8(from + 8 * pixels, pixels))
                        : k.Sixteen(Gather(from, pixels), Gather(from + 4 * pixels, pixels), Gather(from + 8 * pixels, pixels), Gather(from + 12 * pixels, pixels));
                    bytes.Store(yn + i * channels + c);
                }
    }

    /// <summary>Eight values, one from each of eight planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Gather8(float* from, int stride) =>
        Vector256.Create(Gather(from, stride), Gather(from + 4 * stride, stride));

    /// <summary>Four values, one from each of four planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<float> Gather(float* from, int stride) => Vector128.Create(from[0], from[stride], from[2 * stride], from[3 * stride]);

    /// <summary>The first 16·⌊Plane/16⌋ pixels of a 3-channel image, quantized and interleaved; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ThreeChannels(Args a, ReadOnlySpan<float> x, Span<byte> y)
    {
        var k = new Constants(a);
        // Output byte j of a 48-byte run is channel j % 3 of pixel j / 3. Index 255 gives 0 on both PSHUFB (high bit) and TBL (past 15).
        var r0 = Vector128.Create((byte)0, 255, 255, 1, 255, 255, 2, 255, 255, 3, 255, 255, 4, 255, 255, 5);
        var g0 = Vector128.Create((byte)255, 0, 255, 255, 1, 255, 255, 2, 255, 255, 3, 255, 255, 4, 255, 255);
        var b0 = Vector128.Create((byte)255, 255, 0, 255, 255, 1, 255, 255, 2, 255, 255, 3, 255, 255, 4, 255);
        var r1 = Vector128.Create((byte)255, 255, 6, 255, 255, 7, 255, 255, 8, 255, 255, 9, 255, 255, 10, 255);
        var g1 = Vector128.Create((byte)5, 255, 255, 6, 255, 255, 7, 255, 255, 8, 255, 255, 9, 255, 255, 10);
        var b1 = Vector128.Create((byte)255, 5, 255, 255, 6, 255, 255, 7, 255, 255, 8, 255, 255, 9, 255, 255);
        var r2 = Vector128.Create((byte)255, 11, 255, 255, 12, 255, 255, 13, 255, 255, 14, 255, 255, 15, 255, 255);
        var g2 = Vector128.Create((byte)255, 255, 11, 255, 255, 12, 255, 255, 13, 255, 255, 14, 255, 255, 15, 255);
        var b2 = Vector128.Create((byte)10, 255, 255, 11, 255, 255, 12, 255, 255, 13, 255, 255, 14, 255, 255, 15);
        int plane = a.Plane, i = 0;
        for (; i <= plane - 16; i += 16)
        {
            var r = k.Sixteen(x.Slice(i, 16));
            var g = k.Sixteen(x.Slice(plane + i, 16));
            var b = k.Sixteen(x.Slice(2 * plane + i, 16));
            var to = y.Slice(3 * i, 48);
            (Vector128.ShuffleNative(r, r0) | Vector128.ShuffleNative(g, g0) | Vector128.ShuffleNative(b, b0)).CopyTo(to);
            (Vector128.ShuffleNative(r, r1) | Vector128.ShuffleNative(g, g1) | Vector128.ShuffleNative(b, b1)).CopyTo(to.Slice(16));
            (Vector128.ShuffleNative(r, r2) | Vector128.ShuffleNative(g, g2) | Vector128.ShuffleNative(b, b2)).CopyTo(to.Slice(32));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Values(Args a, ReadOnlySpan<float> x, Span<byte> y)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var k = new Constants(a);
            for (; i <= x.Length - 16; i += 16) k.Sixteen(x.Slice(i, 16)).CopyTo(y.Slice(i, 16));
        }
        int lo = a.Signed ? -128 : 0, hi = a.Signed ? 127 : 255;
        for (; i < x.Length; i++)
        {
            float q = MathF.Round(x[i] / a.Scale, MidpointRounding.ToEven) + a.ZeroPoint;
            int v = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, lo, hi);
            y[i] = a.Signed ? (byte)(sbyte)v : (byte)v;
        }
    }

    /// <summary>The vector form of the scalar loop in <see cref="Values"/>, 16 values at a time.</summary>
    private readonly struct Constants(Args a)
    {
        private readonly Vector128<float> _scale = Vector128.Create(a.Scale), _zero = Vector128.Create((float)a.ZeroPoint),
            _min = Vector128.Create(a.Signed ? -128f : 0f), _max = Vector128.Create(a.Signed ? 127f : 255f);
        private readonly Vector256<float> _scale8 = Vector256.Create(a.Scale), _zero8 = Vector256.Create((float)a.ZeroPoint),
            _min8 = Vector256.Create(a.Signed ? -128f : 0f), _max8 = Vector256.Create(a.Signed ? 127f : 255f);
        private readonly Vector512<float> _scale16 = Vector512.Create(a.Scale), _zero16 = Vector512.Create((float)a.ZeroPoint),
            _min16 = Vector512.Create(a.Signed ? -128f : 0f), _max16 = Vector512.Create(a.Signed ? 127f : 255f);

        /// <summary>16 contiguous values; in one 512-bit vector or two 256-bit ones where those are native (fewer divisions).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Sixteen(ReadOnlySpan<float> x)
        {
#if KERNELS_X64
            if (Avx512F.IsSupported) return Sixteen(Vector512.Create(x.Slice(0, 16)));
#endif
            return Vector256.IsHardwareAccelerated
                ? Sixteen(Vector256.Create(x.Slice(0, 8)), Vector256.Create(x.Slice(8, 8)))
                : Sixteen(Vector128.Create(x.Slice(0, 4)), Vector128.Create(x.Slice(4, 4)), Vector128.Create(x.Slice(8, 4)), Vector128.Create(x.Slice(12, 4)));
        }

#if KERNELS_X64
        /// <summary>16 values in one vector, narrowed by one VPMOVDB (the clamp keeps them inside the byte range).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Sixteen(Vector512<float> v)
        {
            var q = Vector512.Round(v / _scale16) + _zero16;
            var ints = Vector512.ConvertToInt32(Vector512.Min(Vector512.Max(Vector512.ConditionalSelect(Vector512.Equals(q, q), q, Vector512<float>.Zero), _min16), _max16));
            return Avx512F.ConvertToVector128Byte(ints);
        }
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Sixteen(Vector256<float> v0, Vector256<float> v1)
        {
            var shorts = Vector256.Narrow(Eight(v0), Eight(v1));
            return Vector128.Narrow(shorts.GetLower(), shorts.GetUpper()).AsByte();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector256<int> Eight(Vector256<float> v)
        {
            var q = Vector256.Round(v / _scale8) + _zero8;
            return Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.ConditionalSelect(Vector256.Equals(q, q), q, Vector256<float>.Zero), _min8), _max8));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Sixteen(Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3) =>
            Requantization.Narrow(Four(v0), Four(v1), Four(v2), Four(v3));

        // NaN becomes 0 before the clamp, as the scalar code's IsNaN test does (0 lies inside both ranges).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector128<int> Four(Vector128<float> v)
        {
            var q = Vector128.Round(v / _scale) + _zero;
            return Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(Vector128.ConditionalSelect(Vector128.Equals(q, q), q, Vector128<float>.Zero), _min), _max));
        }
    }
}
