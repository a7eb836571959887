using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D max pool over channels-last values: the largest stored value among each window's taps inside the
/// input (type, scale and zero point kept). Channels-last makes it element-wise across a pixel's channels: 16 at a
/// time in 128-bit vectors (SSE4.1 or AdvSimd; the signed or unsigned byte max of the values' own type), the rest one
/// by one.
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
        int channels = a.C, vectors = Vector128.IsHardwareAccelerated ? channels / 16 * 16 : 0;
        int h = a.H, w = a.W, kh = a.KH, kw = a.KW, sh = a.SH, sw = a.SW, dh = a.DH, dw = a.DW, padTop = a.PadTop, padLeft = a.PadLeft;
        int* taps = stackalloc int[kh * kw];
        fixed (byte* arenaStart = arena)
        {
            T* x = (T*)(arenaStart + a.X), y = (T*)(arenaStart + a.Y);
            for (int n = 0; n < a.N; n++)
                for (int oy = 0; oy < a.OH; oy++)
                    for (int ox = 0; ox < a.OW; ox++, y += channels)
                    {
                        // The window's taps inside the input, each the first channel of an input pixel.
                        int count = 0;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * sh - padTop + ky * dh, ix = ox * sw - padLeft + kx * dw;
                                if ((uint)iy < (uint)h && (uint)ix < (uint)w) taps[count++] = ((n * h + iy) * w + ix) * channels;
                            }
                        if (count == 0)
                        {
                            // A window wholly in the padding (none for ONNX pads): the type's least value, as the reference's empty max saturates.
                            new Span<T>(y, channels).Fill(T.MinValue);
                            continue;
                        }
                        int c = 0;
                        for (; c < vectors; c += 16)
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
    }
}
