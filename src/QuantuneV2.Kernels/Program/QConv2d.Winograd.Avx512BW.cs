using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The 3×3 stride-1 convolution as Winograd F(m×m, 3×3) in integers, on AVX-512BW, exact: F(2×2) takes 16 products per
/// 2×2 output tile and channel instead of 36, F(4×4) 36 instead of 144. Each (m+2)×(m+2) input patch d (the uint8 of
/// the direct paths, flipped as for VPDPBUSD, less 128: int8 centred on zero) becomes V = Bᵀ d B, each 3×3 kernel g
/// becomes U = G′ g G′ᵀ with G′ an integer multiple of G, the products are summed over the channels (VPMADDWD on s16),
/// and the output transform gives a known multiple of Σ d·w = acc − 128·Σw, from which acc is recovered exactly
/// (128·Σw is in the Winograd bias, <see cref="WinogradLayout"/>; docs/kernels.md):
/// - F(2×2): G′ = 2G, |V| ≤ 512, |U| ≤ 1152; Aᵀ M A = 4·Σ d·w, which fits in int32 while 4·9·C·128·128 &lt; 2³¹, so
///   the int32 sums may wrap on the way and a shift by 2 gives Σ d·w.
/// - F(4×4): G′ = S G with S = diag(4, 6, 6, 24, 24, 1), |V| ≤ 12 800, |U| ≤ 6272; the output transform with
///   A′ = diag(24 / S) A gives 576·Σ d·w modulo 2³². 576 = 2⁶·9: times 9⁻¹ modulo 2³² that is 64·Σ d·w, exact while
///   |Σ d·w| &lt; 2²⁵ (C ≤ 227), and a shift by 6 gives Σ d·w. Layers of more channels sum them in groups of at most
///   224, each group's sum recovered so and the groups' sums added in int32.
/// The epilogue (<see cref="Requantizer512"/>, as <see cref="EpilogueAvx512"/>) then runs on the output transform's registers. .NET 10 has no 512-bit VPDPBUSD; VPMADDWD on 512 bits
/// multiplies 32 s16 pairs, and with fewer products the 3×3 layers go past the 256-bit VPDPBUSD ceiling.
/// </summary>
public static partial class QConv2d
{
    /// <summary>Output channels per matrix-product block: two 512-bit accumulators per tile.</summary>
    private const int WinogradBlock = 32;

    /// <summary>
    /// A batch of tile rows holds at least this many tiles, so that U, which streams from memory once per batch, serves
    /// 48 multiply-adds per byte at least; and beyond that as many as <see cref="WinogradBatchBytes"/> of V. Measured in
    /// `profile` of VGG16: with batches of 256 KB alone, its 512 → 512 layers at 28×28 (14 tiles per batch) ran at
    /// 250 G MAC/s; with 98 tiles, at 330.
    /// </summary>
    private const int WinogradBatchTiles = 96;

    /// <summary>Bytes of transformed inputs per batch of tile rows, where that holds more tiles: V stays in L2 while each block reads it.</summary>
    private const int WinogradBatchBytes = 256 * 1024;

    /// <summary>
    /// Tiles whose products one pass over a block's weights makes before the output transform and the epilogue read
    /// them, at least: M stays in L1 and L2 (a batch's M, tiles·positions·128 bytes, reached 900 KB for 196 tiles of
    /// F(4×4)). Layers of more channels take chunks of C16 / 2 tiles (of a group's channels, for F(4×4) in groups),
    /// where M is as large as the block's U, which each chunk reads again. Measured in `profile`: SqueezeNet's 16 → 64 layers 0.115 → 0.102 ms, 32 → 128 0.080 → 0.075,
    /// ResNet18's 64 → 64 0.28 → 0.265; with chunks of 24 tiles for every layer, ResNet18's 128 → 128 and 256 → 256
    /// layers were 7–11 % slower.
    /// </summary>
    private const int WinogradChunkTiles = 24;

    [ThreadStatic] private static byte[]? t_winogradImage, t_winogradInputs, t_winogradProducts, t_winogradPartial;

    /// <summary>Fewer input channels leave F(2×2)'s transforms more work than its products save (`quick`: 16 → 64 at 55×55 took 0.19 ms against 0.15 direct).</summary>
    private const int WinogradMinChannels = 32;

    /// <summary>The same for F(4×4), whose transforms cost less per output.</summary>
    private const int Winograd4MinChannels = 16;

    /// <summary>
    /// F(4×4) recovers Σ d·w from 64·Σ d·w modulo 2³²: exact while 9·C·128·128 &lt; 2²⁵, C ≤ 227. Layers of more
    /// channels sum them in groups of this many (a multiple of 16), each through its own output transform. Measured in
    /// `profile` of VGG16, 512 → 512 at 28×28: F(2×2) 5.3 ms, F(4×4) in three groups 3.7 ms; with each group a pass
    /// of its own over the positions (V read in runs of a group's channels), 4.9 ms.
    /// </summary>
    private const int Winograd4GroupChannels = 224;

    /// <summary>
    /// Fewer output tiles use each byte of U too few times (tiles / 2 multiply-adds) to hide its streaming from memory
    /// inside a model (`profile` of ResNet18: 512 → 512 at 7×7, 16 tiles, took 1.0 ms against 0.6 direct; 256 → 256 at
    /// 14×14, 49 tiles in one batch, 0.46 against 0.56).
    /// </summary>
    private const int WinogradMinTiles = 40;

    /// <summary>
    /// The output tile of the Winograd path a layer takes where AVX-512BW runs (4 or 2), or 0: 3×3, stride and dilation 1,
    /// groups of one, at least <see cref="WinogradMinTiles"/> tiles; F(4×4) from <see cref="Winograd4MinChannels"/>
    /// input channels, else F(2×2) from <see cref="WinogradMinChannels"/>, while 4·9·C·128·128 &lt; 2³¹.
    /// </summary>
    internal static int WinogradTile(Args a)
    {
        if (a.Group != 1 || a.KH != 3 || a.KW != 3 || a.SH != 1 || a.SW != 1 || a.DH != 1 || a.DW != 1) return 0;
        bool EnoughTiles(int m) => (a.OH + m - 1) / m * ((a.OW + m - 1) / m) >= WinogradMinTiles;
        if (a.C >= Winograd4MinChannels && EnoughTiles(4)) return 4;
        return a.C >= WinogradMinChannels && EnoughTiles(2) && 4L * 9 * a.C * 128 * 128 < int.MaxValue ? 2 : 0;
    }

    /// <summary>G′ of F(2×2): 2G, integers.</summary>
    private static readonly int[,] s_g2 = { { 2, 0, 0 }, { 1, 1, 1 }, { 1, -1, 1 }, { 0, 0, 2 } };

    /// <summary>G′ of F(4×4): S G with S = diag(4, 6, 6, 24, 24, 1), integers.</summary>
    private static readonly int[,] s_g4 = { { 1, 0, 0 }, { -1, -1, -1 }, { -1, 1, -1 }, { 1, 2, 4 }, { 1, -2, 4 }, { 0, 0, 1 } };

    /// <summary>
    /// U = G′ g G′ᵀ for every block of 32 output channels, position ξ of the (m+2)×(m+2) tile and pair of input channels:
    /// <c>[OC/32][positions][C16/2][32][2]</c> s16, zero for padded channels. Made on first use from the packed weights
    /// (the layout the build wrote for the other paths): it is 3.6× (F(2×2)) or 8× (F(4×4)) their size, for CPUs with
    /// AVX-512 only. With it the bias for inputs centred on zero: the folded bias plus 128·Σw per output channel.
    /// </summary>
    private static unsafe WinogradLayout TransformWinogradWeights(Args a, Packed p)
    {
        var gp = p.WinogradOutputTile == 4 ? s_g4 : s_g2;
        int n = gp.GetLength(0), positions = n * n;
        int c16 = (a.C + 15) / 16 * 16, pairs = c16 / 2, blocks = (a.OC + WinogradBlock - 1) / WinogradBlock;
        // The kernels read U from its array's first cache line's start (Packed.WinogradWeights).
        var array = Arena.AllocateAligned<short>(blocks * positions * pairs * WinogradBlock * 2, out short* u);
        var bias = (int[])p.Bias.Clone();
        Span<int> g = stackalloc int[9], t = stackalloc int[3 * n];
        for (int oc = 0; oc < a.OC; oc++)
            for (int ic = 0; ic < a.C; ic++)
            {
                for (int tap = 0; tap < 9; tap++)
                {
                    g[tap] = p.WeightAt(oc, ic, tap, a);
                    bias[oc] += 128 * g[tap];
                }
                // t = G′ g (n×3), then U = t G′ᵀ (n×n).
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < 3; j++)
                        t[3 * i + j] = gp[i, 0] * g[j] + gp[i, 1] * g[3 + j] + gp[i, 2] * g[6 + j];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        int value = t[3 * i] * gp[j, 0] + t[3 * i + 1] * gp[j, 1] + t[3 * i + 2] * gp[j, 2];
                        u[((((oc / WinogradBlock) * positions + n * i + j) * pairs + ic / 2) * WinogradBlock + oc % WinogradBlock) * 2 + ic % 2] = (short)value;
                    }
            }
        return new WinogradLayout(array, bias);
    }

    /// <summary>
    /// A layer's Winograd weights U (<see cref="TransformWinogradWeights"/>; the kernels read them from their array's
    /// first cache line, <see cref="Arena.AlignedStart"/>) and the bias that goes with inputs centred on zero.
    /// </summary>
    internal sealed class WinogradLayout(short[] u, int[] bias)
    {
        public readonly short[] U = u;
        public readonly int[] Bias = bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunWinograd(Args a, Span<byte> arena)
    {
        var p = a.PackedLayer;
        var layout = p.Winograd(a);
        short* u = Arena.AlignedStart(layout.U);
        int m = p.WinogradOutputTile, positions = (m + 2) * (m + 2);
        int c16 = (a.C + 15) / 16 * 16, tilesX = (a.OW + m - 1) / m, tilesY = (a.OH + m - 1) / m;
        int paddedW = m * tilesX + 2, paddedH = m * tilesY + 2;
        int rowsPerBatch = Math.Clamp(Math.Max(WinogradBatchBytes / (tilesX * c16 * 2 * positions), (WinogradBatchTiles + tilesX - 1) / tilesX), 1, tilesY);
        int batchTiles = rowsPerBatch * tilesX, batchTiles6 = (batchTiles + Tile - 1) / Tile * Tile;
        int blocks = (a.OC + WinogradBlock - 1) / WinogradBlock, pixels = a.OH * a.OW;
        byte center = (byte)(a.XSigned ? 0 : 0x80);
        byte* image = Pinned(ref t_winogradImage, paddedH * paddedW * c16);
        short* inputs = (short*)Pinned(ref t_winogradInputs, positions * batchTiles6 * c16 * sizeof(short));
        // F(4×4) over more than 224 channels: groups of channels, whose sums add up in `partial` ([tile][16 pixels][32]).
        int groupChannels = m == 4 && a.C > Winograd4GroupChannels ? Winograd4GroupChannels : c16, groups = (c16 + groupChannels - 1) / groupChannels;
        int chunkLimit = Math.Max(WinogradChunkTiles, groupChannels / 2), chunkLimit6 = (chunkLimit + Tile - 1) / Tile * Tile;
        int groupProducts = positions * chunkLimit6 * WinogradBlock;
        int* products = (int*)Pinned(ref t_winogradProducts, groups * groupProducts * sizeof(int));
        int* partial = groups > 1 ? (int*)Pinned(ref t_winogradPartial, chunkLimit6 * 16 * WinogradBlock * sizeof(int)) : null;
        fixed (byte* x = arena)
        {
            for (int n = 0; n < a.N; n++)
            {
                WinogradPadImage(a, x + a.X + (nint)n * a.H * a.W * a.C, image, paddedH, paddedW, c16, center);
                for (int ty0 = 0; ty0 < tilesY; ty0 += rowsPerBatch)
                {
                    int batchRows = Math.Min(rowsPerBatch, tilesY - ty0), tiles = batchRows * tilesX;
                    byte* batchImage = image + (nint)m * ty0 * paddedW * c16;
                    if (m == 4) Winograd4Inputs(batchImage, paddedW, c16, tilesX, tiles, inputs);
                    else WinogradInputs(batchImage, paddedW, c16, tilesX, tiles, inputs);
                    var batch = new WinogradBatch(a, x, n * pixels + m * ty0 * a.OW, a.OH - m * ty0, tilesX, m);
                    // Chunks of about equal size in whole micro-kernel tiles (at most chunkLimit6): 49 tiles make 30 + 19, not 24 + 24 + 1.
                    int chunks = (tiles + chunkLimit - 1) / chunkLimit, chunkTiles = ((tiles + Tile - 1) / Tile + chunks - 1) / chunks * Tile;
                    // A block's weights serve a chunk of the batch's tiles position by position; the output transform
                    // and the epilogue of its two halves of 16 channels follow, from L1.
                    for (int ob = 0; ob < blocks; ob++)
                    {
                        bool both = 2 * ob + 1 < p.Blocks;
                        var low = new Requantizer512(a, layout.Bias, p.Multiplier, 2 * ob);
                        var high = both ? new Requantizer512(a, layout.Bias, p.Multiplier, 2 * ob + 1) : low;
                        for (int t0 = 0; t0 < tiles; t0 += chunkTiles)
                        {
                            int count = Math.Min(chunkTiles, tiles - t0);
                            for (int xi = 0; xi < positions; xi++)
                                WinogradProducts(inputs + ((nint)t0 * positions + xi) * c16, c16, groupChannels / 2, groupProducts, positions,
                                    u + (ob * positions + xi) * c16 * WinogradBlock, products + xi * WinogradBlock, (count + Tile - 1) / Tile * Tile);
                            for (int g = 0; g < groups; g++)
                                if (m == 4) Winograd4Outputs(batch, products + g * groupProducts, t0, count, 2 * ob * Block, low, high, both, new WinogradGroup(partial, g == 0, g == groups - 1));
                                else WinogradOutputs(batch, products, t0, count, 2 * ob * Block, low, high, both);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Where a batch of tile rows writes its outputs: tile t's first pixel, and how many of its rows and columns lie inside the output.</summary>
    private readonly unsafe struct WinogradBatch
    {
        private readonly byte* _y, _z;
        private readonly int _firstPixel, _rowsLeft, _tilesX, _m, _ow;
        public readonly int Stride, ZStride, RowStride, ZRowStride;

        public WinogradBatch(Args a, byte* arena, int firstPixel, int rowsLeft, int tilesX, int m)
        {
            _y = FirstOutput(a, arena, 0, 0);
            _z = FirstResidual(a, arena, 0, 0);
            (_firstPixel, _rowsLeft, _tilesX, _m, _ow) = (firstPixel, rowsLeft, tilesX, m, a.OW);
            (Stride, ZStride) = (a.PixelStride, a.OC);
            (RowStride, ZRowStride) = (a.OW * Stride, a.OW * ZStride);
        }

        /// <summary>Tile t's first output and residual bytes at channel <paramref name="oc"/> (the residual's null without one), and its rows and columns inside the output.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Tile(int t, int oc, out byte* y, out byte* z, out int rows, out int columns)
        {
            int ty = t / _tilesX, tx = t - ty * _tilesX, oy = _m * ty, ox = _m * tx;
            nint pixel = _firstPixel + oy * _ow + ox;
            y = _y + pixel * Stride + oc;
            z = _z == null ? null : _z + pixel * ZStride + oc;
            rows = Math.Min(_m, _rowsLeft - oy);
            columns = Math.Min(_m, _ow - ox);
        }
    }

    /// <summary>Requantizes and stores one output row of a tile: its first <paramref name="columns"/> of up to four pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreTileRow(Requantizer512 requantize, in WinogradBatch batch, byte* y, byte* z, int columns,
        Vector512<int> y0, Vector512<int> y1, Vector512<int> y2, Vector512<int> y3)
    {
        requantize.Store(y0, y, z);
        if (columns > 1) requantize.Store(y1, y + batch.Stride, z + batch.ZStride);
        if (columns > 2) requantize.Store(y2, y + 2 * batch.Stride, z + 2 * batch.ZStride);
        if (columns > 3) requantize.Store(y3, y + 3 * batch.Stride, z + 3 * batch.ZStride);
    }

    /// <summary>
    /// One image into <paramref name="image"/> as int8 centred on zero (unsigned inputs' top bits flipped by
    /// <paramref name="center"/>), each pixel's channels C16 apart, zero points (centred) where the input patches of
    /// the output tiles reach past the input. The padded channels' bytes meet zero weights.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WinogradPadImage(Args a, byte* input, byte* image, int paddedH, int paddedW, int c16, byte center)
    {
        int c = a.C, w = a.W, h = a.H, padTop = a.PadTop, padLeft = a.PadLeft;
        byte zero = (byte)(a.XZero ^ center);
        var f = Vector128.Create(center);
        for (int y = 0; y < paddedH; y++)
        {
            int iy = y - padTop;
            byte* line = image + (nint)y * paddedW * c16;
            if ((uint)iy >= (uint)h)
            {
                new Span<byte>(line, paddedW * c16).Fill(zero);
                continue;
            }
            byte* from = input + (nint)iy * w * c;
            for (int xo = 0; xo < paddedW; xo++, line += c16)
            {
                int ix = xo - padLeft;
                if ((uint)ix >= (uint)w)
                {
                    new Span<byte>(line, c).Fill(zero);
                    continue;
                }
                byte* pixel = from + ix * c;
                int ch = 0;
                for (; ch + 16 <= c; ch += 16) (Vector128.Load(pixel + ch) ^ f).Store(line + ch);
                for (; ch < c; ch++) line[ch] = (byte)(pixel[ch] ^ center);
            }
        }
    }

    /// <summary>
    /// F(2×2): V = Bᵀ d B of <paramref name="tiles"/> tiles (row-major, <paramref name="tilesX"/> per row) from the padded
    /// image, 16 channels at a time: <c>inputs[tile][ξ][C16]</c> s16, ξ = 4i + j. Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WinogradInputs(byte* image, int paddedW, int c16, int tilesX, int tiles, short* inputs)
    {
        nint line = (nint)paddedW * c16;
        for (int t = 0, tx = 0, ty = 0; t < tiles; t++, tx = tx + 1 == tilesX ? 0 : tx + 1, ty += tx == 0 ? 1 : 0)
        {
            byte* patch = image + ty * 2 * line + tx * 2 * c16;
            short* to = inputs + (nint)t * 16 * c16;
            for (int ch = 0; ch < c16; ch += 16)
            {
                // Bᵀ d: r_ij per column j, then each row i times B.
                sbyte* q = (sbyte*)patch + ch;
                var d00 = Avx2.ConvertToVector256Int16(q);
                var d01 = Avx2.ConvertToVector256Int16(q + c16);
                var d02 = Avx2.ConvertToVector256Int16(q + 2 * c16);
                var d03 = Avx2.ConvertToVector256Int16(q + 3 * c16);
                var d10 = Avx2.ConvertToVector256Int16(q + line);
                var d11 = Avx2.ConvertToVector256Int16(q + line + c16);
                var d12 = Avx2.ConvertToVector256Int16(q + line + 2 * c16);
                var d13 = Avx2.ConvertToVector256Int16(q + line + 3 * c16);
                var d20 = Avx2.ConvertToVector256Int16(q + 2 * line);
                var d21 = Avx2.ConvertToVector256Int16(q + 2 * line + c16);
                var d22 = Avx2.ConvertToVector256Int16(q + 2 * line + 2 * c16);
                var d23 = Avx2.ConvertToVector256Int16(q + 2 * line + 3 * c16);
                var d30 = Avx2.ConvertToVector256Int16(q + 3 * line);
                var d31 = Avx2.ConvertToVector256Int16(q + 3 * line + c16);
                var d32 = Avx2.ConvertToVector256Int16(q + 3 * line + 2 * c16);
                var d33 = Avx2.ConvertToVector256Int16(q + 3 * line + 3 * c16);
                short* v = to + ch;
                StoreInputRow(v, c16, d00 - d20, d01 - d21, d02 - d22, d03 - d23);
                StoreInputRow(v + 4 * c16, c16, d10 + d20, d11 + d21, d12 + d22, d13 + d23);
                StoreInputRow(v + 8 * c16, c16, d20 - d10, d21 - d11, d22 - d12, d23 - d13);
                StoreInputRow(v + 12 * c16, c16, d10 - d30, d11 - d31, d12 - d32, d13 - d33);
            }
        }
    }

    /// <summary>One row of Bᵀ d times B, stored at positions 4i … 4i + 3 (<paramref name="c16"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreInputRow(short* to, int c16, Vector256<short> r0, Vector256<short> r1, Vector256<short> r2, Vector256<short> r3)
    {
        (r0 - r2).Store(to);
        (r1 + r2).Store(to + c16);
        (r2 - r1).Store(to + 2 * c16);
        (r1 - r3).Store(to + 3 * c16);
    }

    /// <summary>
    /// For one position ξ and one block of 32 output channels: products[group][tile][ξ][32] = Σ over the group's channel
    /// pairs of V[tile][ξ][pair] · U[pair][32] (VPMADDWD), 6 tiles × 32 channels in 12 accumulators, the groups of
    /// <paramref name="groupPairs"/> pairs <paramref name="groupProducts"/> apart in <paramref name="products"/>;
    /// <paramref name="v"/> and <paramref name="products"/> point at position ξ of the first tile, whose
    /// <paramref name="positions"/> follow each other. The groups of one tile run one after the other, so that V and U
    /// stream as for one group. <paramref name="tiles"/> is a multiple of 6 (the tiles past a batch's are computed and
    /// never read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WinogradProducts(short* v, int c16, int groupPairs, int groupProducts, int positions, short* u, int* products, int tiles)
    {
        int pairs = c16 / 2, vStride = positions * c16, next = positions * WinogradBlock;
        for (int t = 0; t < tiles; t += Tile, v += Tile * vStride, products += Tile * next)
        for (int k0 = 0, g = 0; k0 < pairs; k0 += groupPairs, g += groupProducts)
        {
            Vector512<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
            Vector512<int> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
            int* x0 = (int*)v, x1 = (int*)(v + vStride), x2 = (int*)(v + 2 * vStride), x3 = (int*)(v + 3 * vStride), x4 = (int*)(v + 4 * vStride), x5 = (int*)(v + 5 * vStride);
            short* w = u + k0 * 2 * WinogradBlock;
            int* to = products + g;
            for (int k = k0, end = Math.Min(k0 + groupPairs, pairs); k < end; k++, w += 2 * WinogradBlock)
            {
                var w0 = Avx512F.LoadVector512(w);
                var w1 = Avx512F.LoadVector512(w + WinogradBlock);
                var b = Vector512.Create(x0[k]).AsInt16();
                a00 = Avx512F.Add(a00, Avx512BW.MultiplyAddAdjacent(b, w0));
                a01 = Avx512F.Add(a01, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(x1[k]).AsInt16();
                a10 = Avx512F.Add(a10, Avx512BW.MultiplyAddAdjacent(b, w0));
                a11 = Avx512F.Add(a11, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(x2[k]).AsInt16();
                a20 = Avx512F.Add(a20, Avx512BW.MultiplyAddAdjacent(b, w0));
                a21 = Avx512F.Add(a21, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(x3[k]).AsInt16();
                a30 = Avx512F.Add(a30, Avx512BW.MultiplyAddAdjacent(b, w0));
                a31 = Avx512F.Add(a31, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(x4[k]).AsInt16();
                a40 = Avx512F.Add(a40, Avx512BW.MultiplyAddAdjacent(b, w0));
                a41 = Avx512F.Add(a41, Avx512BW.MultiplyAddAdjacent(b, w1));
                b = Vector512.Create(x5[k]).AsInt16();
                a50 = Avx512F.Add(a50, Avx512BW.MultiplyAddAdjacent(b, w0));
                a51 = Avx512F.Add(a51, Avx512BW.MultiplyAddAdjacent(b, w1));
            }
            Avx512F.Store(to, a00);
            Avx512F.Store(to + 16, a01);
            Avx512F.Store(to + next, a10);
            Avx512F.Store(to + next + 16, a11);
            Avx512F.Store(to + 2 * next, a20);
            Avx512F.Store(to + 2 * next + 16, a21);
            Avx512F.Store(to + 3 * next, a30);
            Avx512F.Store(to + 3 * next + 16, a31);
            Avx512F.Store(to + 4 * next, a40);
            Avx512F.Store(to + 4 * next + 16, a41);
            Avx512F.Store(to + 5 * next, a50);
            Avx512F.Store(to + 5 * next + 16, a51);
        }
    }

    /// <summary>
    /// F(2×2): Σ d·w = Aᵀ M A / 4 for tiles <paramref name="first"/> … of the batch (their products from the chunk's first
    /// tile), each of the block's halves of 16 channels (both read from the same cache lines of M), requantized into the
    /// output. Aᵀ = [[1,1,1,0],[0,1,−1,−1]].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WinogradOutputs(in WinogradBatch batch, int* products, int first, int count, int oc, Requantizer512 low, Requantizer512 high, bool both)
    {
        for (int t = 0; t < count; t++)
        {
            batch.Tile(first + t, oc, out byte* y, out byte* z, out int rows, out int columns);
            int* m = products + t * 16 * WinogradBlock;
            OutputTile(m, batch, y, z, rows, columns, low);
            if (both) OutputTile(m + Block, batch, y + Block, z + Block, rows, columns, high);
        }
    }

    /// <summary>One tile's 16 channels from <paramref name="m"/> (positions <see cref="WinogradBlock"/> apart) to its 2×2 outputs at <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void OutputTile(int* m, in WinogradBatch batch, byte* y, byte* z, int rows, int columns, Requantizer512 requantize)
    {
        const int plane = WinogradBlock;
        // s_0j = m_0j + m_1j + m_2j and s_1j = m_1j − m_2j − m_3j, per column j; then y_r0 = s_r0 + s_r1 + s_r2 and y_r1 = s_r1 − s_r2 − s_r3.
        var m10 = Avx512F.LoadVector512(m + 4 * plane);
        var m20 = Avx512F.LoadVector512(m + 8 * plane);
        var s00 = Avx512F.LoadVector512(m) + m10 + m20;
        var s10 = m10 - m20 - Avx512F.LoadVector512(m + 12 * plane);
        var m11 = Avx512F.LoadVector512(m + 5 * plane);
        var m21 = Avx512F.LoadVector512(m + 9 * plane);
        var s01 = Avx512F.LoadVector512(m + plane) + m11 + m21;
        var s11 = m11 - m21 - Avx512F.LoadVector512(m + 13 * plane);
        var m12 = Avx512F.LoadVector512(m + 6 * plane);
        var m22 = Avx512F.LoadVector512(m + 10 * plane);
        var s02 = Avx512F.LoadVector512(m + 2 * plane) + m12 + m22;
        var s12 = m12 - m22 - Avx512F.LoadVector512(m + 14 * plane);
        var m13 = Avx512F.LoadVector512(m + 7 * plane);
        var m23 = Avx512F.LoadVector512(m + 11 * plane);
        var s03 = Avx512F.LoadVector512(m + 3 * plane) + m13 + m23;
        var s13 = m13 - m23 - Avx512F.LoadVector512(m + 15 * plane);
        StoreTileRow(requantize, batch, y, z, columns, Avx512F.ShiftRightArithmetic(s00 + s01 + s02, 2), Avx512F.ShiftRightArithmetic(s01 - s02 - s03, 2), default, default);
        if (rows > 1)
            StoreTileRow(requantize, batch, y + batch.RowStride, z + batch.ZRowStride, columns,
                Avx512F.ShiftRightArithmetic(s10 + s11 + s12, 2), Avx512F.ShiftRightArithmetic(s11 - s12 - s13, 2), default, default);
    }

    /// <summary>
    /// F(4×4): V = Bᵀ d B of <paramref name="tiles"/> tiles' 6×6 patches (4 pixels apart) from the padded image, 16
    /// channels at a time: <c>inputs[tile][ξ][C16]</c> s16, ξ = 6i + j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Winograd4Inputs(byte* image, int paddedW, int c16, int tilesX, int tiles, short* inputs)
    {
        nint line = (nint)paddedW * c16;
        var bdBuffer = stackalloc Vector256<short>[36 + 2];
        var bd = Arena.Aligned(bdBuffer);
        for (int t = 0, tx = 0, ty = 0; t < tiles; t++, tx = tx + 1 == tilesX ? 0 : tx + 1, ty += tx == 0 ? 1 : 0)
        {
            byte* patch = image + ty * 4 * line + tx * 4 * c16;
            short* to = inputs + (nint)t * 36 * c16;
            for (int ch = 0; ch < c16; ch += 16)
            {
                // Bᵀ d column by column into bd[6i + j], then each row of it times B.
                for (int j = 0; j < 6; j++)
                {
                    sbyte* q = (sbyte*)patch + ch + j * c16;
                    Input4(Avx2.ConvertToVector256Int16(q), Avx2.ConvertToVector256Int16(q + line), Avx2.ConvertToVector256Int16(q + 2 * line),
                        Avx2.ConvertToVector256Int16(q + 3 * line), Avx2.ConvertToVector256Int16(q + 4 * line), Avx2.ConvertToVector256Int16(q + 5 * line),
                        out bd[j], out bd[6 + j], out bd[12 + j], out bd[18 + j], out bd[24 + j], out bd[30 + j]);
                }
                for (int i = 0; i < 6; i++)
                {
                    Vector256<short>* r = bd + 6 * i;
                    Input4(r[0], r[1], r[2], r[3], r[4], r[5], out var v0, out var v1, out var v2, out var v3, out var v4, out var v5);
                    short* v = to + ch + 6 * i * c16;
                    v0.Store(v);
                    v1.Store(v + c16);
                    v2.Store(v + 2 * c16);
                    v3.Store(v + 3 * c16);
                    v4.Store(v + 4 * c16);
                    v5.Store(v + 5 * c16);
                }
            }
        }
    }

    /// <summary>
    /// Bᵀ of F(4×4) on six values: Bᵀ = [[4,0,−5,0,1,0],[0,−4,−4,1,1,0],[0,4,−4,−1,1,0],[0,−2,−1,2,1,0],[0,2,−1,−2,1,0],
    /// [0,4,0,−5,0,1]]. The results fit s16 (|V| ≤ 12 800), so the s16 arithmetic's wrapping on the way changes nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Input4(Vector256<short> d0, Vector256<short> d1, Vector256<short> d2, Vector256<short> d3, Vector256<short> d4, Vector256<short> d5,
        out Vector256<short> t0, out Vector256<short> t1, out Vector256<short> t2, out Vector256<short> t3, out Vector256<short> t4, out Vector256<short> t5)
    {
        var twice = (d3 - d1) << 1;
        t0 = ((d0 - d2) << 2) - d2 + d4;
        t1 = d3 + d4 - ((d1 + d2) << 2);
        t2 = d4 - d3 + ((d1 - d2) << 2);
        t3 = d4 - d2 + twice;
        t4 = d4 - d2 - twice;
        t5 = ((d1 - d3) << 2) - d3 + d5;
    }

    /// <summary>
    /// F(4×4): Σ d·w = 9⁻¹·(A′ᵀ M A′) / 64 modulo 2³² for tiles <paramref name="first"/> … of the batch (their products
    /// from the chunk's first tile), each of the block's halves of 16 channels, requantized into the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Winograd4Outputs(in WinogradBatch batch, int* products, int first, int count, int oc, Requantizer512 low, Requantizer512 high, bool both, WinogradGroup group)
    {
        var columnsBuffer = stackalloc Vector512<int>[24 + 1];
        var columns = Arena.Aligned(columnsBuffer);
        for (int t = 0; t < count; t++)
        {
            batch.Tile(first + t, oc, out byte* y, out byte* z, out int rows, out int width);
            int* m = products + t * 36 * WinogradBlock;
            var tile = group.Tile(t);
            Output4Tile(m, batch, y, z, rows, width, columns, low, tile);
            if (both) Output4Tile(m + Block, batch, y + Block, z + Block, rows, width, columns, high, tile.High());
        }
    }

    /// <summary>
    /// Which group of input channels an F(4×4) output transform recovers the sums of, and where the groups' sums add up
    /// before the last requantizes them: <c>partial[tile][4r + j][32]</c> int32, null for one group.
    /// </summary>
    private readonly unsafe struct WinogradGroup(int* partial, bool first, bool last)
    {
        public readonly int* Partial = partial;
        public readonly bool First = first, Last = last;

        /// <summary>The same group at chunk tile t's low 16 channels.</summary>
        public WinogradGroup Tile(int t) => Partial == null ? this : new(Partial + t * 16 * WinogradBlock, First, Last);

        /// <summary>The same group at the tile's high 16 channels.</summary>
        public WinogradGroup High() => Partial == null ? this : new(Partial + Block, First, Last);
    }

    /// <summary>One tile's 16 channels from <paramref name="m"/> (positions <see cref="WinogradBlock"/> apart) to its 4×4 outputs at <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Output4Tile(int* m, in WinogradBatch batch, byte* y, byte* z, int rows, int columns, Vector512<int>* s, Requantizer512 requantize, WinogradGroup group)
    {
        const int plane = WinogradBlock;
        // A′ᵀ M column by column into s[6r + j], then each row of it times A′, times 9⁻¹ modulo 2³², shifted by 6.
        for (int j = 0; j < 6; j++)
        {
            int* c = m + j * plane;
            Output4(Avx512F.LoadVector512(c), Avx512F.LoadVector512(c + 6 * plane), Avx512F.LoadVector512(c + 12 * plane),
                Avx512F.LoadVector512(c + 18 * plane), Avx512F.LoadVector512(c + 24 * plane), Avx512F.LoadVector512(c + 30 * plane),
                out s[j], out s[6 + j], out s[12 + j], out s[18 + j]);
        }
        var inverse9 = Vector512.Create(Inverse9);
        for (int r = 0; r < rows; r++, y += batch.RowStride, z += batch.ZRowStride)
        {
            Vector512<int>* q = s + 6 * r;
            Output4(q[0], q[1], q[2], q[3], q[4], q[5], out var y0, out var y1, out var y2, out var y3);
            y0 = Avx512F.ShiftRightArithmetic(Avx512F.MultiplyLow(y0, inverse9), 6);
            y1 = Avx512F.ShiftRightArithmetic(Avx512F.MultiplyLow(y1, inverse9), 6);
            y2 = Avx512F.ShiftRightArithmetic(Avx512F.MultiplyLow(y2, inverse9), 6);
            y3 = Avx512F.ShiftRightArithmetic(Avx512F.MultiplyLow(y3, inverse9), 6);
            if (group.Partial != null)
            {
                int* p = group.Partial + 4 * r * WinogradBlock;
                if (!group.First)
                {
                    y0 += Avx512F.LoadVector512(p);
                    y1 += Avx512F.LoadVector512(p + WinogradBlock);
                    y2 += Avx512F.LoadVector512(p + 2 * WinogradBlock);
                    y3 += Avx512F.LoadVector512(p + 3 * WinogradBlock);
                }
                if (!group.Last)
                {
                    Avx512F.Store(p, y0);
                    Avx512F.Store(p + WinogradBlock, y1);
                    Avx512F.Store(p + 2 * WinogradBlock, y2);
                    Avx512F.Store(p + 3 * WinogradBlock, y3);
                    continue;
                }
            }
            StoreTileRow(requantize, batch, y, z, columns, y0, y1, y2, y3);
        }
    }

    /// <summary>9⁻¹ modulo 2³²: 9 · 954 437 177 = 2³³ + 1.</summary>
    private const int Inverse9 = 954_437_177;

    /// <summary>
    /// A′ᵀ of F(4×4) on six values: Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]] with its columns
    /// scaled by 24 / S = (6, 4, 4, 1, 1, 24), which undoes G′'s row scales up to the common factor 576 (modulo 2³²).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Output4(Vector512<int> m0, Vector512<int> m1, Vector512<int> m2, Vector512<int> m3, Vector512<int> m4, Vector512<int> m5,
        out Vector512<int> y0, out Vector512<int> y1, out Vector512<int> y2, out Vector512<int> y3)
    {
        Vector512<int> sum12 = m1 + m2, difference12 = m1 - m2, sum34 = m3 + m4, difference34 = m3 - m4;
        y0 = (m0 << 2) + (m0 << 1) + (sum12 << 2) + sum34;
        y1 = (difference12 << 2) + (difference34 << 1);
        y2 = (sum12 + sum34) << 2;
        y3 = (difference12 << 2) + (difference34 << 3) + (m5 << 4) + (m5 << 3);
    }
}
