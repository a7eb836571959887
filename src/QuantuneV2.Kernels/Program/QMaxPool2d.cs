using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D max pool over channels-last values: the largest stored value among each window's taps inside the
/// input (type, scale and zero point kept). Channels-last makes it element-wise across a pixel's channels: 32 at a
/// time in 256-bit vectors where they run natively (AVX2), then 16 in 128-bit ones (SSE4.1 or AdvSimd; the signed or
/// unsigned byte max of the values' own type), the rest one by one.
/// </summary>
public static class QMaxPool2d
{
    public sealed class Args : Pool2dArgs
    {
        public bool Signed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        if (a.Signed) Run<sbyte>(a, arena);
        else Run<byte>(a, arena);
    }

    /// <summary>The pool over values of type <typeparamref name="T"/> (byte or sbyte), whose vector max is the type's own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run<T>(Args a, Span<byte> arena) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        int channels = a.C, h = a.H, w = a.W, kh = a.KH, kw = a.KW, sh = a.SH, sw = a.SW, dh = a.DH, dw = a.DW, padTop = a.PadTop, padLeft = a.PadLeft;
        int* taps = stackalloc int[kh * kw];
        // A window wholly inside the input (most of them) has its taps at fixed offsets from its first one.
        int* inside = stackalloc int[kh * kw];
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) inside[ky * kw + kx] = (ky * dh * w + kx * dw) * channels;
        fixed (byte* arenaStart = arena)
        {
            T* x = (T*)(arenaStart + a.X), y = (T*)(arenaStart + a.Y);
            for (int n = 0; n < a.N; n++)
                for (int oy = 0; oy < a.OH; oy++)
                    for (int ox = 0; ox < a.OW; ox++, y += channels)
                    {
                        int iy0 = oy * sh - padTop, ix0 = ox * sw - padLeft, count = 0;
                        if (iy0 >= 0 && ix0 >= 0 && iy0 + (kh - 1) * dh < h && ix0 + (kw - 1) * dw < w)
                        {
                            Window(x + ((n * h + iy0) * w + ix0) * channels, inside, kh * kw, y, channels);
                            continue;
                        }
                        // The taps inside the input, each the first channel of an input pixel.
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = iy0 + ky * dh, ix = ix0 + kx * dw;
                                if ((uint)iy < (uint)h && (uint)ix < (uint)w) taps[count++] = ((n * h + iy) * w + ix) * channels;
                            }
                        if (count == 0)
                        {
                            // A window wholly in the padding (none for ONNX pads): the type's least value, as the reference's empty max saturates.
                            new Span<T>(y, channels).Fill(T.MinValue);
                            continue;
                        }
                        Window(x, taps, count, y, channels);
                    }
        }
    }

    /// <summary>y[c] = the max over the taps of x[tap + c]: 32 channels at a time where 256-bit vectors run natively, then 16, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Window<T>(T* x, int* taps, int count, T* y, int channels) where T : unmanaged, INumber<T>
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; c <= channels - 32; c += 32)
            {
                var max = Vector256.Load(x + taps[0] + c);
                for (int t = 1; t < count; t++) max = Vector256.Max(max, Vector256.Load(x + taps[t] + c));
                max.Store(y + c);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; c <= channels - 16; c += 16)
            {
                var max = Vector128.Load(x + taps[0] + c);
                for (int t = 1; t < count; t++) max = Vector128.Max(max, Vector128.Load(x + taps[t] + c));
                max.Store(y + c);
            }
        for (; c < channels; c++)
        {
            T max = x[taps[0] + c];
            for (int t = 1; t < count; t++) max = T.Max(max, x[taps[t] + c]);
            y[c] = max;
        }
    }
}
