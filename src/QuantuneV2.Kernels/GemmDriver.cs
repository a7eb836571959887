using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QuantuneV2.Kernels;

/// <summary>
/// Cache blocking around one micro-kernel: C[m, n] (+)= A·B with A packed in Mr-row micro-panels (see
/// <see cref="PackedMatrix"/>) and row kk of B at <c>b + rows[kk]</c>. Loops, outermost first: column blocks of
/// <see cref="GemmBlocking.Nc"/> (the B block stays in L2), depth blocks of at most
/// <see cref="GemmBlocking.KcMax"/> (an A micro-panel, Mr·kc floats, stays in L1 while it sweeps the block's
/// panels), row tiles, column panels. B is never packed: the micro-kernel reads it in place through the row
/// offsets, except for a last panel that would read past what the caller declared readable.
/// </summary>
internal static unsafe class GemmDriver<TK>
    where TK : struct, ISgemmMicroKernel
{
    /// <summary>B row offsets of a packed edge panel: kk·Nr.</summary>
    private static readonly nint[] s_edgeRows = CreateEdgeRows();

    internal static int EdgeLength => GemmBlocking.EdgeLength(TK.Nr);

    /// <summary>
    /// Multiplies A[m, k] (packed) by B[k, n]. Rows of B may be read up to <paramref name="readable"/> columns
    /// (≥ n): a panel that would read further is first copied, zero-padded, into <paramref name="edge"/>.
    /// With <paramref name="accumulate"/> C is added to; otherwise it is overwritten (bias and activation apply).
    /// </summary>
    internal static void Run(
        float* a, int m, int k, float* b, nint* rows, int n, int readable, float* c, nint ldc,
        float* bias, bool accumulate, Activation activation, float* edge)
    {
        int mr = TK.Mr, nr = TK.Nr, lanes = TK.Lanes;
        int kBlocks = (k + GemmBlocking.KcMax - 1) / GemmBlocking.KcMax;
        int kcStep = (k + kBlocks - 1) / kBlocks;
        int nc = GemmBlocking.Nc(nr);
        nint* edgeRows = (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_edgeRows));
        float* tile = stackalloc float[mr * nr];
        float* tileBias = stackalloc float[mr];

        for (int jc = 0; jc < n; jc += nc)
        {
            int jEnd = Math.Min(jc + nc, n);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                bool first = pc == 0;
                bool acc = accumulate || !first;
                var act = pc + kc == k ? activation : default;

                int lastPanel = jc + (jEnd - jc - 1) / nr * nr;
                if (lastPanel + AlignedMemory.RoundUp(jEnd - lastPanel, lanes) > readable)
                    PackEdge(edge, b + lastPanel, rows + pc, kc, jEnd - lastPanel, nr);

                for (int ir = 0; ir < m; ir += mr)
                {
                    float* ap = a + (nint)ir * k + (nint)pc * mr;
                    int mv = Math.Min(mr, m - ir);
                    var e = new TileEpilogue(first && bias != null ? bias + ir : null, acc, act);
                    for (int jr = jc; jr < jEnd; jr += nr)
                    {
                        // A last panel narrower than Nr runs only the vectors it needs.
                        int nv = Math.Min(nr, jEnd - jr);
                        int vectors = (nv + lanes - 1) / lanes;
                        bool inPlace = jr + vectors * lanes <= readable;
                        float* bp = inPlace ? b + jr : edge;
                        nint* rp = inPlace ? rows + pc : edgeRows;
                        float* ct = c + ir * ldc + jr;
                        if (mv == mr && nv == vectors * lanes)
                            TK.Run(ap, bp, rp, kc, ct, ldc, vectors, e);
                        else
                            PartialTile(ap, bp, rp, kc, ct, ldc, mv, nv, vectors, e, tile, tileBias);
                    }
                }
            }
        }
    }

    /// <summary>A tile cut by the edge of C: run the full kernel on a local tile, then copy the valid part.</summary>
    private static void PartialTile(
        float* a, float* b, nint* rows, int kc, float* c, nint ldc, int mv, int nv, int vectors, in TileEpilogue e, float* tile, float* tileBias)
    {
        int nr = TK.Nr;
        if (e.Accumulate)
        {
            for (int r = 0; r < mv; r++)
                new ReadOnlySpan<float>(c + r * ldc, nv).CopyTo(new Span<float>(tile + r * nr, nv));
        }

        float* bias = null;
        if (e.Bias != null)
        {
            // The bias array ends at row m; the kernel reads Mr values.
            new Span<float>(tileBias, TK.Mr).Clear();
            new ReadOnlySpan<float>(e.Bias, mv).CopyTo(new Span<float>(tileBias, mv));
            bias = tileBias;
        }

        TK.Run(a, b, rows, kc, tile, nr, vectors, new TileEpilogue(bias, e.Accumulate, e.Activation));
        for (int r = 0; r < mv; r++)
            new ReadOnlySpan<float>(tile + r * nr, nv).CopyTo(new Span<float>(c + r * ldc, nv));
    }

    private static void PackEdge(float* edge, float* b, nint* rows, int kc, int width, int nr)
    {
        for (int kk = 0; kk < kc; kk++)
        {
            float* dst = edge + kk * nr;
            new ReadOnlySpan<float>(b + rows[kk], width).CopyTo(new Span<float>(dst, width));
            new Span<float>(dst + width, nr - width).Clear();
        }
    }

    private static nint[] CreateEdgeRows()
    {
        var rows = GC.AllocateArray<nint>(GemmBlocking.KcMax, pinned: true);
        for (int kk = 0; kk < rows.Length; kk++)
            rows[kk] = kk * TK.Nr;
        return rows;
    }
}

/// <summary>Block sizes of <see cref="GemmDriver{TK}"/>, for callers that size buffers before dispatching.</summary>
internal static class GemmBlocking
{
    /// <summary>Depth per block: an 8×256 A micro-panel is 8 KiB, a quarter of L1.</summary>
    internal const int KcMax = 256;

    /// <summary>Columns per block: 512 rounded down to whole panels (480 for 8×48), so the block's B rows, at most
    /// KcMax·Nc floats (480 KiB), stay in a 1 MiB L2 while every row tile sweeps them.</summary>
    internal static int Nc(int nr) => Math.Max(1, 512 / nr) * nr;

    /// <summary>Floats of the buffer the driver needs for a panel it cannot read in place.</summary>
    internal static int EdgeLength(int nr) => KcMax * nr;
}
