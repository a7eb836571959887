using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>The fp32 2-D average pool (NCHW) of a layer the plan keeps fp32: the reference executor's own loop nest and divisor (<see cref="WindowLoop.Mean"/>).</summary>
public static class AveragePool2d
{
    public sealed class Args : Pool2dArgs
    {
        public bool CountIncludePad;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena) =>
        WindowLoop.ForEachWindow(a.Window, a.N * a.C, Arena.Floats(arena, a.X, a.N * a.C * a.H * a.W), Arena.Floats(arena, a.Y, a.N * a.C * a.OH * a.OW),
            new WindowLoop.Mean(a.Window, a.CountIncludePad));
}
