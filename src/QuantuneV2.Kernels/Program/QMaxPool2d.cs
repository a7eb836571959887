using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D max pool over channels-last values: the largest stored value among each window's taps inside the
/// input (type, scale and zero point kept). A max is separable, so each output row takes two passes: the max over the
/// window's input rows inside the input, column by column, into a row buffer (one flat element-wise max over W·C
/// bytes per input row), then per output pixel the max over the window's columns of that buffer. The buffer's
/// columns in the padding hold the type's least value, which no max over real values can return unless the window
/// holds no tap inside: the reference's empty max. Vectors: 32 bytes where 256-bit ones run natively (AVX2), then 16
/// (SSE4.1 or AdvSimd; the signed or unsigned byte max of the values' own type), the rest one by one.
/// </summary>
public static class QMaxPool2d
{
    public sealed class Args : Pool2dArgs
    {
        public bool Signed;
    }

    [ThreadStatic] private static byte[]? t_row;

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
        int c = a.C, h = a.H, w = a.W, kh = a.KH, kw = a.KW, sh = a.SH, sw = a.SW, dh = a.DH, dw = a.DW, padTop = a.PadTop, padLeft = a.PadLeft;
        // The buffer's columns: every input column a window of the row reaches, padding included, from −PadLeft.
        int columns = (a.OW - 1) * sw + (kw - 1) * dw + 1, from = Math.Min(padLeft, columns), to = Math.Clamp(padLeft + w, from, columns);
        var row = t_row is { } r && r.Length >= columns * c ? r : t_row = new byte[columns * c];
        var line = MemoryMarshal.Cast<byte, T>(row.AsSpan(0, columns * c));
        line[..(from * c)].Fill(T.MinValue);
        line[(to * c)..].Fill(T.MinValue);
        int inside = (to - from) * c, firstColumn = from - padLeft;
        fixed (byte* arenaStart = arena)
        fixed (byte* rowStart = row)
        {
            T* x = (T*)(arenaStart + a.X), y = (T*)(arenaStart + a.Y), buffer = (T*)rowStart;
            for (int n = 0; n < a.N; n++)
                for (int oy = 0; oy < a.OH; oy++, y += a.OW * c)
                {
                    // Column maxima over the window's input rows inside the input; none: the output row is the least value.
                    int used = 0;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = oy * sh - padTop + ky * dh;
                        if ((uint)iy >= (uint)h) continue;
                        T* input = x + ((long)(n * h + iy) * w + firstColumn) * c;
                        if (used++ == 0) new ReadOnlySpan<T>(input, inside).CopyTo(new Span<T>(buffer + from * c, inside));
                        else Max(buffer + from * c, input, buffer + from * c, inside);
                    }
                    if (used == 0)
                    {
                        new Span<T>(y, a.OW * c).Fill(T.MinValue);
                        continue;
                    }
                    for (int ox = 0; ox < a.OW; ox++)
                    {
                        T* window = buffer + ox * sw * c, output = y + ox * c;
                        if (kw == 1) new ReadOnlySpan<T>(window, c).CopyTo(new Span<T>(output, c));
                        else Max(window, window + dw * c, output, c);
                        for (int kx = 2; kx < kw; kx++) Max(output, window + kx * dw * c, output, c);
                    }
                }
        }
    }

    /// <summary>z[i] = max(x[i], y[i]) for <paramref name="count"/> values: 32 at a time where 256-bit vectors run natively, then 16, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Max<T>(T* x, T* y, T* z, int count) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= count - 32; i += 32) Vector256.Max(Vector256.Load(x + i), Vector256.Load(y + i)).Store(z + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= count - 16; i += 16) Vector128.Max(Vector128.Load(x + i), Vector128.Load(y + i)).Store(z + i);
        for (; i < count; i++) z[i] = T.Max(x[i], y[i]);
    }
}
