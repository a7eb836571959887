namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 convolution as a matrix product (groups of one): the weights packed once into blocks of 16 output
/// channels × 4 reduction bytes (<c>[oc/16][k/4][16][4]</c>, zero-padded), the reduction ordered (ky, kx, ic) so
/// that, over a channels-last copy of the input, each tap of a pixel is one contiguous run of C bytes; the input
/// gathered per tile of <see cref="Tile"/> output pixels into rows of K bytes (im2col; a tap in the padding reads
/// the zero point, i.e. real zero), then a micro-kernel per ISA and the shared requantizing epilogue. The zero point leaves the inner loop:
/// Σ (x − zp)·w = Σ x·w − zp·Σw, with zp·Σw folded into the bias; int8 inputs are shifted by 128 into uint8
/// (the u8 × s8 instructions take unsigned activations) and the shift folded the same way.
/// </summary>
public static partial class QConv2d
{
    internal const int Block = 16, Tile = 4;

    /// <summary>The packed weights and folded bias of one layer (immutable once made, so threads share it).</summary>
    internal sealed class Packed
    {
        public Packed(Args a)
        {
            K = a.C * a.KH * a.KW;
            K4 = (K + 3) / 4 * 4;
            Blocks = (a.OC + Block - 1) / Block;
            Weights = new sbyte[Blocks * K4 * Block];
            Bias = new int[Blocks * Block];
            int shift = a.XSigned ? 128 : 0;
            for (int oc = 0; oc < a.OC; oc++)
            {
                int sum = 0;
                for (int ic = 0; ic < a.C; ic++)
                    for (int tap = 0; tap < a.KH * a.KW; tap++)
                    {
                        sbyte w = a.Weights[(oc * a.C + ic) * a.KH * a.KW + tap];
                        int k = tap * a.C + ic;
                        sum += w;
                        Weights[((oc / Block * (K4 / 4) + k / 4) * Block + oc % Block) * 4 + k % 4] = w;
                    }
                Bias[oc] = (a.Bias is null ? 0 : a.Bias[oc]) - (a.XZero + shift) * sum;
            }
        }

        public int K { get; }
        /// <summary>K rounded up to whole groups of 4 bytes.</summary>
        public int K4 { get; }
        public int Blocks { get; }
        public sbyte[] Weights { get; }
        /// <summary>Bias[oc] − (x_zp + shift)·Σw[oc], per padded output channel.</summary>
        public int[] Bias { get; }
    }

    [ThreadStatic] private static byte[]? t_columns, t_channelsLast;
    [ThreadStatic] private static int[]? t_tileAcc;

    private static void RunPacked(Args a, Span<byte> arena, Int8Isa isa)
    {
        var p = a.PackedWeights;
        int pixels = a.OH * a.OW;
        var columns = t_columns is { } c && c.Length >= Tile * p.K4 ? c : t_columns = new byte[Tile * p.K4];
        var acc = t_tileAcc is { } t && t.Length >= Tile * Block ? t : t_tileAcc = new int[Tile * Block];
        byte pad = (byte)(a.XZero + (a.XSigned ? 128 : 0));
        int image = a.C * a.H * a.W;
        var hwc = t_channelsLast is { } h && h.Length >= image ? h : t_channelsLast = new byte[image];
        for (int n = 0; n < a.N; n++)
        {
            ToChannelsLast(a, arena.Slice(a.X + n * image, image), hwc);
            for (int first = 0; first < pixels; first += Tile)
            {
                int count = Math.Min(Tile, pixels - first);
                Gather(a, hwc, first, count, columns, p.K4, pad);
                for (int b = 0; b < p.Blocks; b++)
                {
                    var weights = p.Weights.AsSpan(b * p.K4 * Block, p.K4 * Block);
                    switch (isa)
                    {
                        case Int8Isa.AvxVnni: MultiplyAvxVnni(columns, weights, p.K4, acc); break;
                        case Int8Isa.Avx512BW: MultiplyAvx512BW(columns, weights, p.K4, acc); break;
                        case Int8Isa.Avx2: MultiplyAvx2(columns, weights, p.K4, acc); break;
                        default: MultiplyScalar(columns, weights, p.K4, acc); break;
                    }
                    Epilogue(a, arena, n, first, count, b, acc, p.Bias);
                }
            }
        }
    }

    /// <summary>One image from NCHW to HWC, int8 values shifted into uint8 (sign bit flipped).</summary>
    private static void ToChannelsLast(Args a, ReadOnlySpan<byte> chw, byte[] hwc)
    {
        byte flip = (byte)(a.XSigned ? 0x80 : 0);
        int plane = a.H * a.W;
        for (int c = 0; c < a.C; c++)
        {
            var src = chw.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) hwc[i * a.C + c] = (byte)(src[i] ^ flip);
        }
    }

    /// <summary>
    /// Rows of K bytes, one per output pixel of the tile, in the weights' (ky, kx, ic) order: each tap inside the
    /// input is its C channels copied from the HWC image, a tap in the padding is C zero points.
    /// </summary>
    private static void Gather(Args a, byte[] hwc, int first, int count, byte[] columns, int k4, byte pad)
    {
        for (int t = 0; t < Tile; t++)
        {
            var row = columns.AsSpan(t * k4, k4);
            if (t >= count)
            {
                row.Fill(pad);
                continue;
            }
            int oy = (first + t) / a.OW, ox = (first + t) % a.OW, k = 0;
            for (int ky = 0; ky < a.KH; ky++)
            {
                int iy = oy * a.SH - a.PadTop + ky * a.DH;
                for (int kx = 0; kx < a.KW; kx++, k += a.C)
                {
                    int ix = ox * a.SW - a.PadLeft + kx * a.DW;
                    var tap = row.Slice(k, a.C);
                    if ((uint)iy < (uint)a.H && (uint)ix < (uint)a.W) hwc.AsSpan((iy * a.W + ix) * a.C, a.C).CopyTo(tap);
                    else tap.Fill(pad);
                }
            }
            row[k..].Clear();  // the padding bytes of the last group meet zero weights
        }
    }

    /// <summary>acc[t·16 + o] = Σ_k columns[t][k] · w[k][o] over one block: the portable reference of the micro-kernels.</summary>
    private static void MultiplyScalar(byte[] columns, ReadOnlySpan<sbyte> weights, int k4, int[] acc)
    {
        for (int t = 0; t < Tile; t++)
            for (int o = 0; o < Block; o++)
            {
                int s = 0;
                for (int g = 0; g < k4 / 4; g++)
                    for (int j = 0; j < 4; j++) s += columns[t * k4 + g * 4 + j] * weights[(g * Block + o) * 4 + j];
                acc[t * Block + o] = s;
            }
    }

    /// <summary>The requantizing epilogue of one block of the tile, stored NCHW.</summary>
    private static void Epilogue(Args a, Span<byte> arena, int n, int first, int count, int block, int[] acc, int[] bias)
    {
        int pixels = a.OH * a.OW;
        for (int o = 0; o < Block; o++)
        {
            int oc = block * Block + o;
            if (oc >= a.OC) break;
            float m = a.Multiplier[oc];
            int plane = (n * a.OC + oc) * pixels;
            for (int t = 0; t < count; t++)
            {
                int i = plane + first + t;
                StoreOutput(a, arena, i, acc[t * Block + o] + bias[oc], m);
            }
        }
    }
}
