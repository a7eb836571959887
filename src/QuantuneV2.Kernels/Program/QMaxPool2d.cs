using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 2-D max pool over channels-last values: the largest stored value among each window's taps inside the
/// input (type, scale and zero point kept). Channels-last makes it element-wise across a pixel's channels: 16 at a
/// time in 128-bit vectors (SSE2 or AdvSimd), the rest one by one.
/// </summary>
public static class QMaxPool2d
{
    public sealed class Args : Pool2dArgs
    {
        public bool Signed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(Args a, Span<byte> arena)
    {
        int vectors = Vector128.IsHardwareAccelerated ? a.C / 16 * 16 : 0;
        // Flipping the sign bit maps int8 order onto uint8 order, so one unsigned max serves both types.
        var flip = Vector128.Create((byte)(a.Signed ? 0x80 : 0));
        int* taps = stackalloc int[a.KH * a.KW];
        fixed (byte* arenaStart = arena)
        {
            for (int n = 0; n < a.N; n++)
                for (int oy = 0; oy < a.OH; oy++)
                    for (int ox = 0; ox < a.OW; ox++)
                    {
                        // The window's taps inside the input, each the first channel of an input pixel (never none for ONNX pads).
                        int count = 0;
                        for (int ky = 0; ky < a.KH; ky++)
                            for (int kx = 0; kx < a.KW; kx++)
                            {
                                int iy = oy * a.SH - a.PadTop + ky * a.DH, ix = ox * a.SW - a.PadLeft + kx * a.DW;
                                if ((uint)iy < (uint)a.H && (uint)ix < (uint)a.W) taps[count++] = a.X + ((n * a.H + iy) * a.W + ix) * a.C;
                            }
                        byte* y = arenaStart + a.Y + ((n * a.OH + oy) * a.OW + ox) * a.C;
                        for (int c = 0; c < vectors; c += 16)
                        {
                            var max = Vector128<byte>.Zero;
                            for (int t = 0; t < count; t++) max = Vector128.Max(max, Vector128.Load(arenaStart + taps[t] + c) ^ flip);
                            (max ^ flip).Store(y + c);
                        }
                        for (int c = vectors; c < a.C; c++)
                        {
                            int max = int.MinValue;
                            for (int t = 0; t < count; t++) max = Math.Max(max, a.Signed ? (sbyte)arenaStart[taps[t] + c] : arenaStart[taps[t] + c]);
                            y[c] = (byte)max;
                        }
                    }
        }
    }
}
