namespace QuantuneV2.Kernels;

/// <summary>
/// The zero-padded input split into stride phases: padded pixel (y, x) of a channel goes to phase
/// (y mod sH, x mod sW) at (y / sH, x / sW), each phase a [Hq, Wq] plane. A kernel tap (ky, kx) then reads,
/// for all outputs (oy, ox), the window of one phase starting at (ky·dH / sH, kx·dW / sW): with outputs laid
/// out "wide" as j = oy·Wq + ox, every tap is one contiguous run. That turns a convolution into a GEMM whose B
/// rows are shifted windows of this buffer (no im2col) and lets depthwise kernels vectorise any stride. The
/// Wq − OutWidth columns per row that fall outside the output are computed and dropped by <see cref="Compact"/>.
/// Only phases some tap reads are stored (a 1x1 stride-2 convolution keeps one of four).
/// </summary>
internal readonly unsafe struct PhasePlanes
{
    private readonly Conv2dGeometry _g;

    /// <summary>Per row phase (y mod sH): its index among the stored ones, or -1 when no tap reads it.</summary>
    private readonly int[] _rowPhases;

    /// <summary>Per column phase (x mod sW): its index among the stored ones, or -1.</summary>
    private readonly int[] _columnPhases;

    private readonly int _storedColumnPhases;

    internal PhasePlanes(Conv2dGeometry g)
    {
        _g = g;
        PhaseRows = CeilDiv(g.InHeight + g.PadTop + g.PadBottom, g.StrideH);
        PhaseColumns = CeilDiv(g.InWidth + g.PadLeft + g.PadRight, g.StrideW);
        _rowPhases = StoredPhases(g.KernelHeight, g.DilationH, g.StrideH, out int rowPhases);
        _columnPhases = StoredPhases(g.KernelWidth, g.DilationW, g.StrideW, out _storedColumnPhases);
        ChannelSize = rowPhases * _storedColumnPhases * PhaseRows * PhaseColumns;
    }

    internal int PhaseRows { get; }

    /// <summary>Wq: the row pitch of every phase and of the wide output.</summary>
    internal int PhaseColumns { get; }

    /// <summary>Floats per input channel: all its phases.</summary>
    internal int ChannelSize { get; }

    /// <summary>Columns of the wide output: OutHeight·Wq.</summary>
    internal int WideColumns => _g.OutHeight * PhaseColumns;

    /// <summary>Whether the wide output has columns the real one lacks, so results need <see cref="Compact"/>.</summary>
    internal bool IsWide => PhaseColumns != _g.OutWidth;

    /// <summary>With stride 1 and no padding the phases are the input itself and no copy is needed.</summary>
    internal bool IsInput => _g.StrideH == 1 && _g.StrideW == 1 && _g.PadTop == 0 && _g.PadLeft == 0 && _g.PadBottom == 0 && _g.PadRight == 0;

    /// <summary>Offset of tap (ky, kx) of channel c: where its window starts.</summary>
    internal nint TapOffset(int c, int ky, int kx)
    {
        int y = ky * _g.DilationH, x = kx * _g.DilationW;
        int phase = _rowPhases[y % _g.StrideH] * _storedColumnPhases + _columnPhases[x % _g.StrideW];
        return (nint)c * ChannelSize + (nint)phase * PhaseRows * PhaseColumns + (nint)(y / _g.StrideH) * PhaseColumns + x / _g.StrideW;
    }

    /// <summary>Writes the phases of <paramref name="channels"/> channels of <paramref name="src"/> to <paramref name="dst"/>.</summary>
    internal void Fill<TOps, TVec>(float* dst, float* src, int channels)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        int sH = _g.StrideH, sW = _g.StrideW, wq = PhaseColumns, inW = _g.InWidth;
        float* srcEnd = src + (nint)channels * _g.InHeight * inW;
        for (int c = 0; c < channels; c++)
        {
            float* plane = src + (nint)c * _g.InHeight * inW;
            for (int py = 0; py < sH; py++)
            {
                for (int px = 0; px < sW; px++)
                {
                    if (_rowPhases[py] < 0 || _columnPhases[px] < 0)
                        continue;

                    // Phase columns whose padded x = xq·sW + px falls inside the input: [lo, hi).
                    int lo = Math.Min(wq, CeilDiv(Math.Max(0, _g.PadLeft - px), sW));
                    int last = inW - 1 + _g.PadLeft - px;
                    int hi = last < 0 ? lo : Math.Clamp(last / sW + 1, lo, wq);
                    int x0 = lo * sW + px - _g.PadLeft;
                    for (int yq = 0; yq < PhaseRows; yq++, dst += wq)
                    {
                        int iy = yq * sH + py - _g.PadTop;
                        if (iy < 0 || iy >= _g.InHeight)
                        {
                            new Span<float>(dst, wq).Clear();
                            continue;
                        }

                        // Pads are a few floats: plain loops beat span calls here, once per row.
                        float* row = plane + (nint)iy * inW + x0;
                        for (int xq = 0; xq < lo; xq++)
                            dst[xq] = 0f;
                        if (sW == 1)
                            Buffer.MemoryCopy(row, dst + lo, (hi - lo) * sizeof(float), (hi - lo) * sizeof(float));
                        else if (sW == 2)
                            GatherEvens<TOps, TVec>(dst + lo, row, hi - lo, srcEnd);
                        else
                            Gather(dst + lo, row, hi - lo, sW);

                        for (int xq = hi; xq < wq; xq++)
                            dst[xq] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies wide columns [j0, j0 + count) of one output channel (at <paramref name="wide"/>) to their places
    /// in the [OutHeight, OutWidth] plane <paramref name="output"/>, skipping columns past OutWidth.
    /// </summary>
    internal void Compact(float* wide, int j0, int count, float* output)
    {
        int wq = PhaseColumns, outW = _g.OutWidth;
        for (int oy = j0 / wq; oy * wq < j0 + count; oy++)
        {
            int start = Math.Max(oy * wq, j0);
            int end = Math.Min(oy * wq + outW, j0 + count);
            if (end > start)
                new ReadOnlySpan<float>(wide + (start - j0), end - start).CopyTo(new Span<float>(output + (nint)oy * outW + (start - oy * wq), end - start));
        }
    }

    /// <summary>
    /// dst[i] = src[2i] for i below count, a vector at a time. A vector ending the run reads src[2·count − 1],
    /// one float past what is needed, so it overlaps the previous one and is only used while that float lies
    /// before <paramref name="srcEnd"/>; otherwise the tail is scalar.
    /// </summary>
    private static void GatherEvens<TOps, TVec>(float* dst, float* src, int count, float* srcEnd)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, i = 0;
        for (; i + w < count; i += w)
            TOps.Store(dst + i, TOps.Evens(TOps.Load(src + 2 * i), TOps.Load(src + 2 * i + w)));
        if (count >= w && src + 2 * count - 1 < srcEnd)
        {
            i = count - w;
            TOps.Store(dst + i, TOps.Evens(TOps.Load(src + 2 * i), TOps.Load(src + 2 * i + w)));
            return;
        }

        Gather(dst + i, src + 2 * i, count - i, 2);
    }

    private static void Gather(float* dst, float* src, int count, int stride)
    {
        for (int i = 0; i < count; i++)
            dst[i] = src[(nint)i * stride];
    }

    private static int[] StoredPhases(int kernel, int dilation, int stride, out int stored)
    {
        var index = new int[stride];
        Array.Fill(index, -1);
        for (int k = 0; k < kernel; k++)
            index[k * dilation % stride] = 0;
        stored = 0;
        for (int p = 0; p < stride; p++)
        {
            if (index[p] == 0)
                index[p] = stored++;
        }

        return index;
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
