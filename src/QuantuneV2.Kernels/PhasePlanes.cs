namespace QuantuneV2.Kernels;

/// <summary>
/// The zero-padded input split into stride phases: padded pixel (y, x) of a channel goes to phase
/// (y mod sH, x mod sW) at (y / sH, x / sW), each phase a [Hq, Wq] plane. A kernel tap (ky, kx) then reads,
/// for all outputs (oy, ox), the window of one phase starting at (ky·dH / sH, kx·dW / sW): with outputs laid
/// out "wide" as j = oy·Wq + ox, every tap is one contiguous run. That turns a convolution into a GEMM whose B
/// rows are shifted windows of this buffer (no im2col) and lets depthwise kernels vectorise any stride. The
/// Wq − OutWidth columns per row that fall outside the output are computed and dropped by <see cref="Compact"/>.
/// </summary>
internal readonly unsafe struct PhasePlanes
{
    private readonly Conv2dGeometry _g;

    internal PhasePlanes(Conv2dGeometry g)
    {
        _g = g;
        PhaseRows = CeilDiv(g.InHeight + g.PadTop + g.PadBottom, g.StrideH);
        PhaseColumns = CeilDiv(g.InWidth + g.PadLeft + g.PadRight, g.StrideW);
        ChannelSize = g.StrideH * g.StrideW * PhaseRows * PhaseColumns;
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
        int phase = y % _g.StrideH * _g.StrideW + x % _g.StrideW;
        return (nint)c * ChannelSize + (nint)phase * PhaseRows * PhaseColumns + (nint)(y / _g.StrideH) * PhaseColumns + x / _g.StrideW;
    }

    /// <summary>Writes the phases of <paramref name="channels"/> channels of <paramref name="src"/> to <paramref name="dst"/>.</summary>
    internal void Fill(float* dst, float* src, int channels)
    {
        int sH = _g.StrideH, sW = _g.StrideW, wq = PhaseColumns, inW = _g.InWidth;
        for (int c = 0; c < channels; c++)
        {
            float* plane = src + (nint)c * _g.InHeight * inW;
            for (int py = 0; py < sH; py++)
            {
                for (int px = 0; px < sW; px++)
                {
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
                        {
                            Buffer.MemoryCopy(row, dst + lo, (hi - lo) * sizeof(float), (hi - lo) * sizeof(float));
                        }
                        else
                        {
                            for (int xq = lo; xq < hi; xq++, row += sW)
                                dst[xq] = *row;
                        }

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

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
