using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels;

/// <summary>
/// Computes one register-resident tile C[Mr, Nr] of a product. A is a packed micro-panel ([kc][Mr], row index
/// fastest); row kk of B is read in place at <c>b + rows[kk]</c>. The row-offset table is what lets one kernel
/// read a packed panel, a strided row-major matrix, or the shifted windows of a convolution input without an
/// im2col copy.
/// </summary>
internal unsafe interface ISgemmMicroKernel
{
    static abstract int Mr { get; }

    /// <summary>Columns of a full tile: a few vectors of <see cref="Lanes"/>.</summary>
    static abstract int Nr { get; }

    static abstract int Lanes { get; }

    /// <summary>Computes the first <paramref name="vectors"/> (1 ≤ vectors ≤ Nr / Lanes) vectors of tile columns.</summary>
    static abstract void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, int vectors, in TileEpilogue epilogue);
}

/// <summary>A compile-time count: generic code specialised on it loses the branches for absent rows and columns.</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct One : IConstant
{
    public static int Value => 1;
}

internal readonly struct Two : IConstant
{
    public static int Value => 2;
}

internal readonly struct Three : IConstant
{
    public static int Value => 3;
}

internal readonly struct Six : IConstant
{
    public static int Value => 6;
}

internal readonly struct Eight : IConstant
{
    public static int Value => 8;
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
    private static void Finish<TOps, TVec, TAct>(in TileEpilogue e, float* c, TVec value)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        where TAct : struct, IActivationKind
        => TOps.Store(c, TAct.Apply<TOps, TVec>(value, e.Activation));

    /// <summary>Runs <see cref="Tile{TOps, TVec, TRows, TWidth, TAct}"/> specialised on the epilogue's activation.</summary>
    private static void Tile<TOps, TVec, TRows, TWidth>(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue e)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        where TRows : struct, IConstant
        where TWidth : struct, IConstant
    {
        switch (e.Activation.Kind)
        {
            case ActivationKind.Relu:
                Tile<TOps, TVec, TRows, TWidth, ReluActivation>(a, b, rows, kc, c, ldc, e);
                break;
            case ActivationKind.Clip:
                Tile<TOps, TVec, TRows, TWidth, ClipActivation>(a, b, rows, kc, c, ldc, e);
                break;
            case ActivationKind.LeakyRelu:
                Tile<TOps, TVec, TRows, TWidth, LeakyReluActivation>(a, b, rows, kc, c, ldc, e);
                break;
            case ActivationKind.HardSwish:
                Tile<TOps, TVec, TRows, TWidth, HardSwishActivation>(a, b, rows, kc, c, ldc, e);
                break;
            default:
                Tile<TOps, TVec, TRows, TWidth, NoActivation>(a, b, rows, kc, c, ldc, e);
                break;
        }
    }
}
