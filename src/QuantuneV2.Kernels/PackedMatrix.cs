namespace QuantuneV2.Kernels;

/// <summary>
/// Row-major A[rows, depth] packed once for repeated products (constant weights): micro-panels of Mr rows,
/// each stored depth-major ([depth][Mr]) so the micro-kernel reads it as one contiguous stream; the last panel
/// is zero-padded. Mr belongs to the kernel of the ISA current at packing time, which the matrix remembers.
/// </summary>
public sealed unsafe class PackedMatrix
{
    private readonly float[] _data;

    private PackedMatrix(int rows, int depth, KernelIsa isa, int mr)
    {
        Rows = rows;
        Depth = depth;
        Isa = isa;
        _data = AlignedMemory.AllocatePinned(AlignedMemory.RoundUp(rows, mr) * depth);
    }

    public int Rows { get; }

    public int Depth { get; }

    internal KernelIsa Isa { get; }

    internal float* Data => AlignedMemory.AlignedStart(_data);

    public static PackedMatrix Pack(ReadOnlySpan<float> a, int rows, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        if (a.Length < (long)rows * depth)
            throw new ArgumentException($"Matrix [{rows}, {depth}] needs {(long)rows * depth} values, got {a.Length}.", nameof(a));
        return Pack(a, rows, depth, KernelDispatch.Current);
    }

    internal static PackedMatrix Pack(ReadOnlySpan<float> a, int rows, int depth, KernelIsa isa)
    {
        var packed = new PackedMatrix(rows, depth, isa, MicroTile.Rows(isa));
        fixed (float* src = a)
            Pack(packed.Data, src, rows, depth, depth, 1, MicroTile.Rows(isa), 1f);
        return packed;
    }

    /// <summary>
    /// Packs alpha·A where A(i, kk) = src[i·rowStride + kk·colStride], so a transposed operand packs as well.
    /// </summary>
    internal static void Pack(float* dst, float* src, int rows, int depth, nint rowStride, nint colStride, int mr, float alpha)
    {
        for (int i0 = 0; i0 < rows; i0 += mr)
        {
            int valid = Math.Min(mr, rows - i0);
            for (int kk = 0; kk < depth; kk++, dst += mr)
            {
                float* s = src + i0 * rowStride + kk * colStride;
                for (int r = 0; r < valid; r++)
                    dst[r] = alpha * s[r * rowStride];
                for (int r = valid; r < mr; r++)
                    dst[r] = 0f;
            }
        }
    }
}

/// <summary>The micro-tile shape each ISA runs with, for code that sizes buffers before dispatching.</summary>
internal static class MicroTile
{
    internal static int Rows(KernelIsa isa) => Query(isa).Rows;

    internal static int Columns(KernelIsa isa) => Query(isa).Columns;

    /// <summary>Lanes of the vector type the ISA runs with.</summary>
    internal static int Lanes(KernelIsa isa) => Query(isa).Lanes;

    private static ShapeQuery Query(KernelIsa isa)
    {
        var query = default(ShapeQuery);
        KernelDispatch.Run(isa, ref query);
        return query;
    }

    private struct ShapeQuery : IIsaAction
    {
        public int Rows;
        public int Columns;
        public int Lanes;

        public void Run<TKernel, TOps, TVec>()
            where TKernel : struct, ISgemmMicroKernel
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            Rows = TKernel.Mr;
            Columns = TKernel.Nr;
            Lanes = TOps.Count;
        }
    }
}
