using System.Runtime.Intrinsics;
#if KERNELS_ARM64
using System.Runtime.Intrinsics.Arm;
#endif

namespace QuantuneV2.Kernels;

/// <summary>The vector width the kernels run at, widest first in preference.</summary>
internal enum KernelIsa
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>A kernel body generic over the micro-kernel and vector type, run by <see cref="KernelDispatch.Run"/>.</summary>
internal interface IIsaAction
{
    void Run<TKernel, TOps, TVec>()
        where TKernel : struct, ISgemmMicroKernel
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct;
}

/// <summary>
/// The one place that maps an ISA to concrete kernel types. The ISA is detected once from what the runtime
/// accelerates, so <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c>
/// select the narrower paths naturally.
/// </summary>
internal static class KernelDispatch
{
    private static readonly AsyncLocal<KernelIsa?> s_forced = new();

    internal static KernelIsa Detected { get; } = Detect();

    /// <summary>The ISA new work is planned with: <see cref="Detected"/> unless a test narrowed it.</summary>
    internal static KernelIsa Current => s_forced.Value ?? Detected;

    /// <summary>
    /// Test hook: runs the narrower paths on this machine until the result is disposed. Async-local, so tests
    /// running in parallel keep their own choice; objects that pack data remember the ISA they packed for.
    /// </summary>
    internal static IDisposable Force(KernelIsa isa)
    {
        if (isa > Detected)
            throw new ArgumentOutOfRangeException(nameof(isa), isa, $"This machine only accelerates up to {Detected}.");
        var previous = s_forced.Value;
        s_forced.Value = isa;
        return new Restore(previous);
    }

    internal static void Run<TAction>(KernelIsa isa, ref TAction action)
        where TAction : struct, IIsaAction
    {
        switch (isa)
        {
#if KERNELS_X64
            case KernelIsa.Vector512:
                action.Run<SgemmMicroKernel.Wide<Vector512Ops, Vector512<float>>, Vector512Ops, Vector512<float>>();
                break;
            case KernelIsa.Vector256:
                action.Run<SgemmMicroKernel.Narrow<Vector256Ops, Vector256<float>>, Vector256Ops, Vector256<float>>();
                break;
#endif
#if KERNELS_ARM64
            // NEON has 32 vector registers, SSE only 16: the tile shape follows the register file.
            case KernelIsa.Vector128 when AdvSimd.Arm64.IsSupported:
                action.Run<SgemmMicroKernel.Wide<Vector128Ops, Vector128<float>>, Vector128Ops, Vector128<float>>();
                break;
#endif
            case KernelIsa.Vector128:
                action.Run<SgemmMicroKernel.Narrow<Vector128Ops, Vector128<float>>, Vector128Ops, Vector128<float>>();
                break;
            default:
                action.Run<SgemmMicroKernel.Narrow<ScalarOps, float>, ScalarOps, float>();
                break;
        }
    }

    private static KernelIsa Detect()
    {
#if KERNELS_X64
        if (Vector512.IsHardwareAccelerated)
            return KernelIsa.Vector512;
        if (Vector256.IsHardwareAccelerated)
            return KernelIsa.Vector256;
#endif
        return Vector128.IsHardwareAccelerated ? KernelIsa.Vector128 : KernelIsa.Scalar;
    }

    private sealed class Restore(KernelIsa? previous) : IDisposable
    {
        public void Dispose() => s_forced.Value = previous;
    }
}
