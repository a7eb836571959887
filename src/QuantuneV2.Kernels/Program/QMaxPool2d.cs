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
    public sealed class Args
    {
        public int N, C, H, W, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, X, Y;
        public bool Signed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        int vectors = Vector128.IsHardwareAccelerated ? a.C / 16 * 16 : 0;
        // Flipping the sign bit maps int8 order onto uint8 order, so one unsigned max serves both types.
        var flip = Vector128.Create((byte)(a.Signed ? 0x80 : 0));
        for (int n = 0; n < a.N; n++)
            for (int oy = 0; oy < a.OH; oy++)
                for (int ox = 0; ox < a.OW; ox++)
                {
                    int y = a.Y + ((n * a.OH + oy) * a.OW + ox) * a.C;
                    for (int c = 0; c < vectors; c += 16)
                    {
                        var max = Vector128<byte>.Zero;
                        foreach (int x in Taps(a, n, oy, ox))
                            max = Vector128.Max(max, Vector128.Create(arena.Slice(x + c, 16)) ^ flip);
                        (max ^ flip).CopyTo(arena.Slice(y + c, 16));
                    }
                    for (int c = vectors; c < a.C; c++)
                    {
                        int max = int.MinValue;
                        foreach (int x in Taps(a, n, oy, ox)) max = Math.Max(max, Arena.Read(arena, x + c, a.Signed));
                        Requantization.Write(arena, y + c, max, a.Signed);
                    }
                }
    }

    /// <summary>The arena offsets of the window's taps inside the input (each the first channel of an input pixel); never empty for ONNX pads.</summary>
    private static TapOffsets Taps(Args a, int n, int oy, int ox) => new(a, n, oy, ox);

    private struct TapOffsets(Args a, int n, int oy, int ox)
    {
        private int _tap = -1;

        public int Current { get; private set; }

        public readonly TapOffsets GetEnumerator() => this;

        public bool MoveNext()
        {
            while (++_tap < a.KH * a.KW)
            {
                int iy = oy * a.SH - a.PadTop + _tap / a.KW * a.DH, ix = ox * a.SW - a.PadLeft + _tap % a.KW * a.DW;
                if ((uint)iy < (uint)a.H && (uint)ix < (uint)a.W)
                {
                    Current = a.X + ((n * a.H + iy) * a.W + ix) * a.C;
                    return true;
                }
            }
            return false;
        }
    }
}
