using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels;

/// <summary>
/// Computes one register-resident tile C[Mr, Nr] of a product. A is a packed micro-panel ([kc][Mr], row index
/// fastest); row kk of B is read in place at <c>b + rows[kk]</c>, Nr floats. The row-offset table is what lets
/// one kernel read a packed panel, a strided row-major matrix, or the shifted windows of a convolution input
/// without an im2col copy.
/// </summary>
internal unsafe interface ISgemmMicroKernel
{
    static abstract int Mr { get; }

    static abstract int Nr { get; }

    static abstract void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue epilogue);
}

/// <summary>How a tile starts and ends: the accumulators start from C (later depth blocks), from the bias, or at
/// zero; the activation is only applied by the last depth block.</summary>
internal readonly unsafe struct TileEpilogue(float* bias, bool accumulate, Activation activation)
{
    /// <summary>Mr per-row values added to the tile, or null.</summary>
    public float* Bias { get; } = bias;

    public bool Accumulate { get; } = accumulate;

    public Activation Activation { get; } = activation;
}

/// <summary>The register-tile shapes; <see cref="KernelDispatch"/> pairs each ISA with one.</summary>
internal static unsafe partial class SgemmMicroKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<TOps, TVec>(in TileEpilogue e, float* c, int row)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        if (e.Accumulate)
            return TOps.Load(c);
        return e.Bias != null ? TOps.Broadcast(e.Bias[row]) : TOps.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TOps, TVec>(in TileEpilogue e, float* c, TVec value)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => TOps.Store(c, e.Activation.Apply<TOps, TVec>(value));
}
