using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#if KERNELS_X64
using System.Runtime.Intrinsics.X86;
#endif

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 convolution as an implicit matrix product (groups of one) over the channels-last input, without an
/// im2col copy of the input but for C not a multiple of 4 (below). The reduction runs run by run, and in each run over
/// RunBytes contiguous input bytes (a multiple of 4).
/// A run is one tap: the C bytes of one input pixel, padded to C4. When C is not a multiple of 4 (a 3-channel stem),
/// the windows are gathered instead (<see cref="Packed.Gathered"/>): each window's taps·C bytes are copied whole into
/// a buffer, a batch of tiles at a time, and reduce as one run, padded to 4 once (147 bytes to 148 for a 7×7 stem,
/// where one run per tap would pad each tap's 3 bytes to 4). An indirection table gives, per tile of
/// <see cref="Tile"/> output pixels and per run, a pointer to each pixel's run: into the input, to a row of zero
/// points where it lies in the padding (real zero), or to the pixel's gathered window. The weights are packed once
/// (by the tool at build time, else on first use) into blocks of 16 output channels × 4 reduction bytes (<c>[oc/16][runs·RunBytes/4][16][4]</c>,
/// zero-padded; the bytes of a run past its taps meet zero weights).
/// A micro-kernel per ISA fills the Tile × 16 accumulators of one block, and the epilogue requantizes and stores
/// 16 contiguous output bytes per pixel. The zero point leaves the inner loop: Σ (x − zp)·w = Σ x·w − zp·Σw, with
/// zp·Σw folded into the bias; int8 inputs are flipped into uint8 (x + 128, the u8 × s8 instructions take unsigned
/// activations) in the kernel and the shift folded the same way.
/// A depthwise convolution (Group = C = OC) runs on the same indirection table, 16 channels of a tile at a time: its
/// weights are widened to s16 and interleaved by pairs of taps (<see cref="PackedLayouts.PairWeights"/>), so that each
/// VPMADDWD adds two taps' products per channel; int8 inputs are widened signed, so nothing is flipped.
/// </summary>
public static partial class QConv2d
{
    internal const int Block = 16, Tile = 6;

    /// <summary>Tiles whose accumulators one epilogue call requantizes (dense layers).</summary>
    private const int Batch = 8;

    /// <summary>
    /// A last tile holding this many pixels or fewer takes the one-pixel micro-kernel once per pixel (AVX-VNNI). Measured
    /// on a 512-channel 7×7 layer, whose block weights stream from L2 once per pass: one pixel costs about 2.5 pixels of a
    /// full tile's time, so one or two pixels gain and three do not.
    /// </summary>
    private const int FewPixels = 2;

    /// <summary>The architectures whose kernels a packing serves (its depthwise layouts differ).</summary>
    [Flags]
    public enum Architectures
    {
        X64 = 1,
        Arm64 = 2,
        Both = X64 | Arm64,
    }

    /// <summary>The architecture of this process, whose layouts a layer packed on first use gets.</summary>
    internal static Architectures Current => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? Architectures.Arm64 : Architectures.X64;

    /// <summary>
    /// What the packed path reads, beyond the layer's shape: the tool makes it at build time (<see cref="Pack"/>) and the
    /// generated code hands it over in <see cref="Args"/> (PackedWeights, FoldedBias, ...); a layer without it is packed on first use.
    /// </summary>
    public sealed class PackedLayouts
    {
        /// <summary>The dense weights, <c>[oc/16][runs·RunBytes/4][16][4]</c> (empty for depthwise).</summary>
        public sbyte[] Weights = [];
        /// <summary>Bias[oc] − (x_zp + shift)·Σw[oc], per padded output channel, for kernels that take activations as uint8 (shift: 128 for a flipped int8 input).</summary>
        public int[] Bias = [];
        /// <summary>The same for kernels that take activations as int8, the arm64 ones (shift: −128 for a flipped uint8 input); arm64 only.</summary>
        public int[] SignedBias = [];
        /// <summary>The x64 depthwise weights: <c>[oc/16][pairs][low, high][16]</c> s16 (<see cref="PairIndex"/>).</summary>
        public short[] PairWeights = [];
        /// <summary>The same for 512-bit vectors: <c>[oc/32][pairs][low, high][32]</c> s16.</summary>
        public short[] WidePairWeights = [];
        /// <summary>The arm64 depthwise weights: <c>[oc/16][taps][16]</c> s16.</summary>
        public short[] TapWeights = [];
    }

    /// <summary>Packs a layer's Weights and Bias (groups of one or depthwise) for the kernels of <paramref name="architectures"/>.</summary>
    public static PackedLayouts Pack(Args a, Architectures architectures)
    {
        if (!IsPacked(a)) throw new ArgumentException("grouped convolutions other than depthwise take the direct loops, unpacked", nameof(a));
        var g = new Packed(a, new PackedLayouts());
        bool x64 = architectures.HasFlag(Architectures.X64), arm = architectures.HasFlag(Architectures.Arm64);
        var l = new PackedLayouts
        {
            Weights = g.Depthwise ? [] : new sbyte[g.Blocks * g.K4 * Block],
            Bias = new int[g.Blocks * Block],
            SignedBias = arm ? new int[g.Blocks * Block] : [],
            PairWeights = g.Depthwise && x64 ? new short[g.Blocks * g.Pairs * 2 * Block] : [],
            WidePairWeights = g.Depthwise && x64 ? new short[(g.Blocks + 1) / 2 * g.Pairs * 4 * Block] : [],
            TapWeights = g.Depthwise && arm ? new short[g.Blocks * g.Taps * Block] : [],
        };
        // The dense kernels take activations in one domain, flipping the other sign (depthwise ones keep the input's).
        int shift = a.XSigned && !g.Depthwise ? 128 : 0, signedShift = g.Depthwise ? 0 : shift - 128, inputs = g.Depthwise ? 1 : a.C;
        for (int oc = 0; oc < a.OC; oc++)
        {
            int sum = 0;
            for (int ic = 0; ic < inputs; ic++)
                for (int tap = 0; tap < g.Taps; tap++)
                {
                    sbyte w = a.Weights[(oc * inputs + ic) * g.Taps + tap];
                    sum += w;
                    if (!g.Depthwise)
                    {
                        l.Weights[g.DenseIndex(oc, g.ReductionIndex(tap, ic, a))] = w;
                        continue;
                    }
                    if (arm) l.TapWeights[(oc / Block * g.Taps + tap) * Block + oc % Block] = w;
                    if (x64)
                    {
                        l.PairWeights[g.PairIndex(oc, tap, Block)] = w;
                        l.WidePairWeights[g.PairIndex(oc, tap, 2 * Block)] = w;
                    }
                }
            int bias = a.Bias is null ? 0 : a.Bias[oc];
            l.Bias[oc] = bias - (a.XZero + shift) * sum;
            if (arm) l.SignedBias[oc] = bias - (a.XZero + signedShift) * sum;
        }
        return l;
    }

    /// <summary>A layer's shape as the packed path sees it, with its packed layouts (immutable once made, so threads share it).</summary>
    internal sealed class Packed
    {
        public Packed(Args a, PackedLayouts layouts)
        {
            Depthwise = IsDepthwise(a);
            Taps = a.KH * a.KW;
            Gathered = !Depthwise && a.C % 4 != 0 && Taps > 1;
            if (Gathered)
            {
                PaddedH = Math.Max(a.H + a.PadTop, (a.OH - 1) * a.SH + (a.KH - 1) * a.DH + 1);
                PaddedW = Math.Max(a.W + a.PadLeft, (a.OW - 1) * a.SW + (a.KW - 1) * a.DW + 1);
            }
            Runs = Gathered ? 1 : Taps;
            RunBytes = (Gathered ? Taps * a.C + 3 : a.C + 3) / 4 * 4;
            K4 = Runs * RunBytes;
            Blocks = (a.OC + Block - 1) / Block;
            Pairs = (Taps + 1) / 2;
            Layouts = layouts;
            Multiplier = new float[Blocks * Block];
            a.Multiplier.AsSpan(0, a.OC).CopyTo(Multiplier);
#if KERNELS_X64
            WinogradOutputTile = WinogradTile(a);
#endif
            // The depthwise micro-kernels load a vector of weights per tap pair and pixel. From a managed array's data
            // (16 bytes into a cache line, or another offset per process) a 512-bit load straddles two lines:
            // `loop mobilenetv2` medians 2.90–3.00 ms, 2.77–2.88 from the copies.
            if (Depthwise)
                (AlignedPairWeights, AlignedWidePairWeights, AlignedTapWeights) =
                    (Arena.AlignedCopy(layouts.PairWeights), Arena.AlignedCopy(layouts.WidePairWeights), Arena.AlignedCopy(layouts.TapWeights));
        }

        /// <summary>The depthwise weights from a cache line's start (<see cref="Arena.AlignedStart"/>), for the kernels; empty for dense layers.</summary>
        public short[] AlignedPairWeights { get; } = [];
        public short[] AlignedWidePairWeights { get; } = [];
        public short[] AlignedTapWeights { get; } = [];

        /// <summary>The layer's layouts: built at build time when the Args carry them, else packed now for this process.</summary>
        public static Packed For(Args a)
        {
            if (a.FoldedBias.Length == 0) return new Packed(a, Pack(a, Current));
            var p = new Packed(a, new PackedLayouts
            {
                Weights = a.PackedWeights, Bias = a.FoldedBias, SignedBias = a.SignedFoldedBias,
                PairWeights = a.PairWeights, WidePairWeights = a.WidePairWeights, TapWeights = a.TapWeights,
            });
            // A dense layout of another length was packed for another geometry (e.g. without gathered windows).
            if (!p.Depthwise && p.Weights.Length != p.Blocks * p.K4 * Block)
                throw new InvalidOperationException($"this layer's packed weights hold {p.Weights.Length} bytes where its geometry needs {p.Blocks * p.K4 * Block}; rebuild with the same package version");
            bool missing = p.Bias.Length != p.Blocks * Block || (Current == Architectures.Arm64
                ? p.SignedBias.Length == 0 || (p.Depthwise && p.TapWeights.Length == 0)
                : p.Depthwise && p.PairWeights.Length == 0);
            if (missing) throw new InvalidOperationException($"this layer's weights were packed at build time for another architecture than this process's ({Current}); build for this runtime identifier");
            return p;
        }

        /// <summary>
        /// Where a depthwise weight goes: per block of <paramref name="width"/> channels (16 for 256-bit vectors, 32 for
        /// 512-bit ones) and pair of taps, 2·width s16 in the order VPUNPCKLWD / VPUNPCKHWD interleave two taps' widened
        /// inputs: each 128-bit lane holds 4 channels × the pair; the low unpack takes channels 0–3 of every 8, the high
        /// one 4–7.
        /// </summary>
        public int PairIndex(int oc, int tap, int width)
        {
            int ch = oc % width, lane = ch / 8, high = ch % 8 / 4;
            return ((oc / width * Pairs + tap / 2) * 2 + high) * width + lane * 8 + ch % 4 * 2 + tap % 2;
        }

        /// <summary>Where weight (tap, input channel) goes in the reduction: its run's bytes, then its place in the run.</summary>
        public int ReductionIndex(int tap, int ic, Args a) => tap * (Gathered ? a.C : RunBytes) + ic;

        /// <summary>Where dense weight (output channel, reduction index k) goes in <c>[oc/16][K4/4][16][4]</c>.</summary>
        public int DenseIndex(int oc, int k) => ((oc / Block * (K4 / 4) + k / 4) * Block + oc % Block) * 4 + k % 4;
#if KERNELS_X64

        /// <summary>A dense layer's weight (oc, ic, tap), read back from its packed layout.</summary>
        public sbyte WeightAt(int oc, int ic, int tap, Args a) => Weights[DenseIndex(oc, ReductionIndex(tap, ic, a))];

        /// <summary>The output tile of the Winograd path this layer takes where AVX-512BW runs (<see cref="WinogradTile"/>), or 0.</summary>
        public int WinogradOutputTile { get; }

        private WinogradLayout? _winograd;

        /// <summary>
        /// The Winograd weights and bias (<see cref="TransformWinogradWeights"/>), made once on first use; threads that
        /// race make equal ones and keep the first.
        /// </summary>
        public WinogradLayout Winograd(Args a)
        {
            if (_winograd is null) Interlocked.CompareExchange(ref _winograd, TransformWinogradWeights(a, this), null);
            return _winograd;
        }
#endif

        public bool Depthwise { get; }
        /// <summary>
        /// Whether the windows are copied whole (taps, then channels, as the input holds each kernel row) and reduce as one
        /// run: when C is not a multiple of 4, where a run per tap would pad every tap's C bytes to 4.
        /// </summary>
        public bool Gathered { get; }
        /// <summary>The image with its padding made real, from which gathered windows are copied (<see cref="PadImage"/>).</summary>
        public int PaddedH { get; }
        public int PaddedW { get; }
        /// <summary>Runs per output pixel: one (<see cref="Gathered"/>) or the taps.</summary>
        public int Runs { get; }
        /// <summary>The bytes of one run, a multiple of 4: taps·C or C, rounded up.</summary>
        public int RunBytes { get; }
        /// <summary>Pairs of taps, the last one padded with zero weights when Taps is odd.</summary>
        public int Pairs { get; }
        public int Taps { get; }
        /// <summary>The reduction length, Runs·RunBytes.</summary>
        public int K4 { get; }
        public int Blocks { get; }
        public PackedLayouts Layouts { get; }
        public sbyte[] Weights => Layouts.Weights;
        public int[] Bias => Layouts.Bias;
        public int[] SignedBias => Layouts.SignedBias;
        public short[] PairWeights => Layouts.PairWeights;
        public short[] WidePairWeights => Layouts.WidePairWeights;
        public short[] TapWeights => Layouts.TapWeights;
        /// <summary>The multipliers, per padded output channel.</summary>
        public float[] Multiplier { get; }
    }

    [ThreadStatic] private static nint[]? t_rows;
    [ThreadStatic] private static byte[]? t_padRow;
    [ThreadStatic] private static byte[]? t_windows, t_padded;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunPacked(Args a, Span<byte> arena, Int8Isa isa)
    {
        var p = a.PackedLayer;
        int pixels = a.OH * a.OW, tiles = (pixels + Tile - 1) / Tile;
        // Gathered windows: the table is fixed, each tile of a batch points to its pixels' windows in the buffer.
        int slots = p.Gathered ? Batch * Tile : tiles * p.Runs * Tile;
        var rows = t_rows is { } r && r.Length >= slots ? r : t_rows = new nint[slots];
        int padBytes = (p.Blocks + 1) * Block + p.RunBytes;
        var padRow = t_padRow is { } z && z.Length >= padBytes ? z : t_padRow = new byte[padBytes];
        padRow.AsSpan(0, padBytes).Fill((byte)a.XZero);
        // The arm64 paths take activations as int8 (SDOT is s8 × s8), the others as uint8 (VPDPBUSD is u8 × s8).
        bool arm = isa is Int8Isa.AdvSimd or Int8Isa.Dp;
        byte flip = (byte)(a.XSigned != arm ? 0x80 : 0);
        int[] bias = arm ? p.SignedBias : p.Bias;
#if KERNELS_X64
        // The AVX-VNNI and AVX-512BW paths take the 512-bit epilogue where the CPU has it; the AVX2 path keeps its own, so each stays testable in one process.
        bool wideEpilogue = Avx512BW.IsSupported && isa is Int8Isa.AvxVnni or Int8Isa.Avx512BW;
#else
        const bool wideEpilogue = false;
#endif
        // Depthwise on 512 bits makes two blocks per pass.
        bool wideDepthwise = p.Depthwise && wideEpilogue;
        int step = wideDepthwise ? 2 : 1;
        // Dense layers fill the accumulators of Batch tiles before one epilogue reads them all: by then the
        // micro-kernel's stores have left the store buffer (a 512-bit load of two 256-bit stores cannot be forwarded),
        // and the epilogue's setup is paid once per Batch tiles.
        int batch = p.Depthwise ? 1 : Batch;
        int passes = (p.Blocks + step - 1) / step, batches = (tiles + batch - 1) / batch;
        int* accBuffer = stackalloc int[Batch * Tile * Block + Arena.CacheLine / sizeof(int)];
        int* acc = Arena.Aligned(accBuffer);
        fixed (byte* x = arena)
        fixed (nint* table = rows)
        fixed (byte* pad = padRow)
        fixed (sbyte* weights = p.Weights)
        {
            // The aligned copies are pinned; dense layers have none.
            short* pairWeights = p.Depthwise ? Arena.AlignedStart(p.AlignedPairWeights) : null;
            short* widePairWeights = p.Depthwise ? Arena.AlignedStart(p.AlignedWidePairWeights) : null;
            short* tapWeights = p.Depthwise ? Arena.AlignedStart(p.AlignedTapWeights) : null;
            byte* windows = p.Gathered ? Windows(p, (byte**)table) : null;
            byte* padded = p.Gathered ? Pinned(ref t_padded, p.PaddedH * p.PaddedW * a.C + 32) : null;
            for (int n = 0; n < a.N; n++)
            {
                byte* image = x + a.X + n * a.H * a.W * a.C;
                if (p.Gathered) PadImage(a, p, image, padded);
                else FillRows(a, p, image, pad, (byte**)table, pixels, tiles);
                // A block's weights serve every tile before the next block; a batch's gathered windows serve every block before the next batch.
                for (int i = 0; i < passes * batches; i++)
                {
                    int b = (p.Gathered ? i % passes : i / batches) * step, t0 = (p.Gathered ? i / passes : i % batches) * batch;
                    int first = n * pixels + t0 * Tile, count = Math.Min(batch * Tile, pixels - t0 * Tile);
                    if (p.Gathered && b == 0) GatherWindows(a, p, padded, windows, t0 * Tile, count);
                    sbyte* w = weights + b * p.K4 * Block;
                    short* pairs = pairWeights + b * p.Pairs * 2 * Block;
                    short* widePairs = widePairWeights + b / 2 * p.Pairs * 4 * Block;
                    short* tapBlock = tapWeights + b * p.Taps * Block;
                    int tEnd = Math.Min(t0 + batch, tiles);
                    if (p.Depthwise)
                        for (int t = t0; t < tEnd; t++)
                        {
                            byte** tile = (byte**)table + t * p.Runs * Tile;
                            int* tileAcc = acc + (t - t0) * Tile * Block;
                            if (isa == Int8Isa.Scalar) DepthwiseScalar(a, tile, b * Block, tileAcc);
#if KERNELS_ARM64
                            else if (arm) DepthwiseAdvSimd(tile, p.Taps, b * Block, tapBlock, tileAcc, a.XSigned);
#endif
#if KERNELS_X64
                            else if (wideDepthwise) DepthwiseAvx512(tile, p.Taps, b * Block, widePairs, tileAcc, a.XSigned);
                            else DepthwiseAvx2(tile, p.Taps, b * Block, pairs, tileAcc, a.XSigned);
#endif
                        }
                    else MultiplyTiles(isa, (byte**)table + (p.Gathered ? 0 : t0 * p.Runs * Tile), p.Runs, p.RunBytes, w, acc, flip, tEnd - t0, pixels - t0 * Tile);
                    for (int e = b; e < Math.Min(b + step, p.Blocks); e++)
                    {
                        int* blockAcc = acc + (e - b) * Tile * Block;
                        if (isa == Int8Isa.Scalar) EpilogueScalar(a, arena, bias, p.Multiplier, blockAcc, first, count, e);
#if KERNELS_ARM64
                        else if (arm) EpilogueVector128(a, x, bias, p.Multiplier, blockAcc, first, count, e);
#endif
#if KERNELS_X64
                        else if (wideEpilogue) EpilogueAvx512(a, x, bias, p.Multiplier, blockAcc, first, count, e);
                        else EpilogueAvx2(a, x, bias, p.Multiplier, blockAcc, first, count, e);
#endif
                    }
                }
            }
        }
    }

    /// <summary>
    /// The accumulators of <paramref name="tiles"/> consecutive tiles of the table, of which the first
    /// <paramref name="held"/> pixels are real (more than the tiles hold but for the layer's last batch): the one dispatch
    /// point of the dense micro-kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyTiles(Int8Isa isa, byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles, int held)
    {
        switch (isa)
        {
#if KERNELS_X64
            case Int8Isa.AvxVnni:
                int last = held - (tiles - 1) * Tile;
                if (last > FewPixels)
                {
                    MultiplyAvxVnni(rows, runs, runBytes, w, acc, flip, tiles);
                    break;
                }
                // A last tile of FewPixels or fewer real pixels goes pixel by pixel.
                MultiplyAvxVnni(rows, runs, runBytes, w, acc, flip, tiles - 1);
                rows += (tiles - 1) * runs * Tile;
                acc += (tiles - 1) * Tile * Block;
                for (int j = 0; j < last; j++) MultiplyAvxVnniPixel(rows + j, runs, runBytes, w, acc + j * Block, flip);
                break;
            case Int8Isa.Avx512BW: MultiplyAvx512BW(rows, runs, runBytes, w, acc, flip, tiles); break;
            case Int8Isa.Avx2: MultiplyAvx2(rows, runs, runBytes, w, acc, flip, tiles); break;
#endif
#if KERNELS_ARM64
            case Int8Isa.Dp: MultiplyDp(rows, runs, runBytes, w, acc, flip, tiles); break;
            case Int8Isa.AdvSimd: MultiplyAdvSimd(rows, runs, runBytes, w, acc, flip, tiles); break;
#endif
            default: MultiplyScalar(rows, runs, runBytes, w, acc, flip, tiles); break;
        }
    }

    /// <summary>
    /// The indirection table of one image: for tile t, run and pixel j of the tile, the address of that pixel's run
    /// (<c>rows[(t·Runs + run)·Tile + j]</c>): into the input, or the zero-point row where the tap lies in the padding.
    /// The last tile's missing pixels repeat its last one (computed, never stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FillRows(Args a, Packed p, byte* image, byte* pad, byte** rows, int pixels, int tiles)
    {
        int runs = p.Runs, c = a.C, w = a.W, sw = a.SW;
        // A window wholly inside the input (most of them) is its first tap's address plus a fixed offset per run.
        int* offsets = stackalloc int[runs];
        for (int run = 0; run < runs; run++) offsets[run] = (run / a.KW * a.DH * w + run % a.KW * a.DW) * c;
        int spanY = (a.KH - 1) * a.DH, spanX = (a.KW - 1) * a.DW;
        // The columns whose windows lie inside their image row are one range, [insideFrom, insideTo).
        int insideFrom = 0, insideTo = 0;
        for (int column = 0; column < a.OW; column++)
            if (column * sw - a.PadLeft >= 0 && column * sw - a.PadLeft + spanX < w)
            {
                if (insideTo == insideFrom) insideFrom = column;
                insideTo = column + 1;
            }
        // The windows of one output row lie SW pixels apart in the input.
        nint* along = stackalloc nint[Tile];
        for (int j = 0; j < Tile; j++) along[j] = j * sw * c;
        int oy = 0, ox = 0;
        for (int t = 0; t < tiles; t++)
        {
            byte** tileRows = rows + t * runs * Tile;
            int inside = 0, iy = oy * a.SH - a.PadTop;
            // Most tiles: six windows of one row, all inside the input.
            if (ox >= insideFrom && ox + Tile <= insideTo && iy >= 0 && iy + spanY < a.H && (t + 1) * Tile <= pixels)
            {
                var first = Vector128.Create((nint)(image + (iy * w + ox * sw - a.PadLeft) * c));
                for (int j = 0; j < Tile; j += Vector128<nint>.Count)
                    (first + Vector128.Load(along + j)).Store((nint*)tileRows + j);
                inside = (1 << Tile) - 1;
                if ((ox += Tile) == a.OW) (ox, oy) = (0, oy + 1);
            }
            else for (int j = 0; j < Tile; j++)
            {
                int iy0 = oy * a.SH - a.PadTop, ix0 = ox * sw - a.PadLeft;
                if (ox >= insideFrom && ox < insideTo && iy0 >= 0 && iy0 + spanY < a.H)
                {
                    tileRows[j] = image + (iy0 * w + ix0) * c;
                    inside |= 1 << j;
                }
                else FillEdgeWindow(a, image, pad, tileRows + j, iy0, ix0);
                // The last tile's missing pixels repeat its last one (computed, never stored).
                if (t * Tile + j < pixels - 1 && ++ox == a.OW) (ox, oy) = (0, oy + 1);
            }
            // The other runs of the inside windows: their first run's address plus the run's offset, a whole tile at a time.
            if (inside == (1 << Tile) - 1)
            {
                for (int run = 1; run < runs; run++)
                {
                    var offset = Vector128.Create((nint)offsets[run]);
                    nint* slots = (nint*)tileRows + run * Tile;
                    for (int j = 0; j < Tile; j += Vector128<nint>.Count)
                        (Vector128.Load((nint*)tileRows + j) + offset).Store(slots + j);
                }
                continue;
            }
            for (int j = 0; j < Tile; j++)
                if ((inside & 1 << j) != 0)
                    for (int run = 1; run < runs; run++) tileRows[run * Tile + j] = tileRows[j] + offsets[run];
        }
    }

    /// <summary>The table slots of a window that reaches the padding, from (iy0, ix0): each tap's address, or the zero-point row.</summary>
    private static unsafe void FillEdgeWindow(Args a, byte* image, byte* pad, byte** slot, int iy0, int ix0)
    {
        for (int ky = 0; ky < a.KH; ky++)
            for (int kx = 0; kx < a.KW; kx++)
            {
                int iy = iy0 + ky * a.DH, ix = ix0 + kx * a.DW;
                bool inside = (uint)iy < (uint)a.H && (uint)ix < (uint)a.W;
                slot[(ky * a.KW + kx) * Tile] = inside ? image + (iy * a.W + ix) * a.C : pad;
            }
    }

    /// <summary>
    /// The buffer of a batch's gathered windows, RunBytes apart, and the fixed table that points each tile of the batch
    /// at them (slot j of tile t: window t·Tile + j). 32 bytes of slack take the last window's vector copy.
    /// </summary>
    private static unsafe byte* Windows(Packed p, byte** table)
    {
        byte* windows = Pinned(ref t_windows, Batch * Tile * p.RunBytes + 32);
        for (int i = 0; i < Batch * Tile; i++) table[i] = windows + i * p.RunBytes;
        return windows;
    }

    /// <summary>A thread's pinned buffer of at least <paramref name="bytes"/> from a cache line's start, grown when a layer needs more.</summary>
    private static unsafe byte* Pinned(ref byte[]? buffer, int bytes)
    {
        if (buffer is null || buffer.Length < bytes + Arena.CacheLine) buffer = Arena.AllocateAligned<byte>(bytes, out _);
        return Arena.AlignedStart(buffer);
    }

    /// <summary>
    /// Copies one image into <paramref name="padded"/> with its padding made real: zero points around it, PadTop rows
    /// above and PadLeft columns to the left, and as many below and to the right as the windows reach. Every window then
    /// lies inside, and the 32 bytes of slack after it take the vector copies' reads past the last one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PadImage(Args a, Packed p, byte* image, byte* padded)
    {
        int lineBytes = p.PaddedW * a.C, left = a.PadLeft * a.C, inside = a.W * a.C;
        byte zero = (byte)a.XZero;
        for (int y = 0; y < p.PaddedH; y++, padded += lineBytes)
        {
            int iy = y - a.PadTop;
            var line = new Span<byte>(padded, lineBytes);
            if ((uint)iy >= (uint)a.H)
            {
                line.Fill(zero);
                continue;
            }
            line[..left].Fill(zero);
            new ReadOnlySpan<byte>(image + (nint)iy * inside, inside).CopyTo(line[left..]);
            line[(left + inside)..].Fill(zero);
        }
    }

    /// <summary>
    /// Copies the windows of output pixels [first, first + count) from the <paramref name="padded"/> image into
    /// <paramref name="windows"/>, RunBytes apart, each as taps·C bytes in the weights' order (kernel row by kernel row,
    /// as the input holds them). The bytes after a window's taps meet zero weights, so what they hold does not matter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GatherWindows(Args a, Packed p, byte* padded, byte* windows, int first, int count)
    {
        // Locals only: the stores through pointers would make the JIT reload every field of the Args.
        int c = a.C, kh = a.KH, kw = a.KW, dw = a.DW, ow = a.OW, rowBytes = kw * c, runBytes = p.RunBytes;
        nint lineBytes = (nint)p.PaddedW * c, rowStep = a.DH * lineBytes, pixelStep = (nint)a.SW * c, tapStep = (nint)dw * c;
        int oy = first / ow, ox = first % ow;
        for (int i = 0; i < count; ox = 0, oy++)
        {
            int n = Math.Min(ow - ox, count - i);
            byte* from = padded + oy * a.SH * lineBytes + ox * pixelStep;
            i += n;
            // Adjacent columns (DW = 1): a kernel row at a time, in 32-byte vectors where they are native (one 32-byte
            // copy of a 7×7 stem's 21-byte row took half the time of two 16-byte ones), else and for rows of up to 16
            // bytes in 16-byte ones. The bytes past a row land in the next row's place, written next, or past the
            // window's taps.
            if (dw == 1 && rowBytes <= 16)
                for (; n > 0; n--, from += pixelStep, windows += runBytes)
                {
                    byte* f = from, t = windows;
                    for (int ky = 0; ky < kh; ky++, f += rowStep, t += rowBytes) Vector128.Load(f).Store(t);
                }
            else if (dw == 1 && Vector256.IsHardwareAccelerated)
                for (; n > 0; n--, from += pixelStep, windows += runBytes)
                {
                    byte* f = from, t = windows;
                    for (int ky = 0; ky < kh; ky++, f += rowStep, t += rowBytes)
                        for (int o = 0; o < rowBytes; o += 32) Vector256.Load(f + o).Store(t + o);
                }
            else if (dw == 1)
                for (; n > 0; n--, from += pixelStep, windows += runBytes)
                {
                    byte* f = from, t = windows;
                    for (int ky = 0; ky < kh; ky++, f += rowStep, t += rowBytes)
                        for (int o = 0; o < rowBytes; o += 16) Vector128.Load(f + o).Store(t + o);
                }
            else
                for (; n > 0; n--, from += pixelStep, windows += runBytes)
                {
                    byte* t = windows;
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                            for (int ch = 0; ch < c; ch++) *t++ = from[ky * rowStep + kx * tapStep + ch];
                }
        }
    }

    /// <summary>
    /// acc[j·16 + o] = Σ over the runs and their bytes of x·w for one block, for each of <paramref name="tiles"/> tiles
    /// (their accumulators Tile·16 apart): the portable reference of the micro-kernels. Every micro-kernel takes its tiles
    /// in one call: for a short reduction (a 1×1 layer over 16 channels) a call per tile cost as much as its products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyScalar(byte** rows, int runs, int runBytes, sbyte* w, int* acc, byte flip, int tiles)
    {
        for (sbyte* first = w; tiles > 0; tiles--, acc += Tile * Block, w = first)
        {
            new Span<int>(acc, Tile * Block).Clear();
            for (int run = 0; run < runs; run++, rows += Tile, w += runBytes * Block)
                for (int j = 0; j < Tile; j++)
                    for (int c = 0; c < runBytes; c++)
                    {
                        int x = rows[j][c] ^ flip;
                        for (int o = 0; o < Block; o++) acc[j * Block + o] += x * w[(c / 4 * Block + o) * 4 + c % 4];
                    }
        }
    }

    /// <summary>The depthwise accumulators of 16 channels from <paramref name="first"/> for a tile, without SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseScalar(Args a, byte** rows, int first, int* acc)
    {
        int taps = a.KH * a.KW;
        for (int j = 0; j < Tile; j++)
            for (int o = 0; o < Block; o++)
            {
                int c = first + o, sum = 0;
                for (int tap = 0; c < a.C && tap < taps; tap++)
                {
                    byte x = rows[tap * Tile + j][c];
                    sum += (a.XSigned ? (sbyte)x : x) * a.Weights[c * taps + tap];
                }
                acc[j * Block + o] = sum;
            }
    }

    /// <summary>The requantizing epilogue of one block of a tile, one output at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EpilogueScalar(Args a, Span<byte> arena, int[] bias, float[] multiplier, int* acc, int first, int count, int block)
    {
        for (int j = 0; j < count; j++)
            for (int o = 0; o < Block && block * Block + o < a.OC; o++)
            {
                int oc = block * Block + o;
                StoreOutput(a, arena, first + j, oc, acc[j * Block + o] + bias[oc], multiplier[oc]);
            }
    }
}
