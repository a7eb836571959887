using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>The fp32 2-D max pool (NCHW) of a layer the plan keeps fp32: the reference executor's own loop nest (<see cref="WindowLoop"/>).</summary>
public static class MaxPool2d
{
    public sealed class Args : Pool2dArgs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena) =>
        WindowLoop.ForEachWindow(a.Window, a.N * a.C, Arena.Floats(arena, a.X, a.N * a.C * a.H * a.W), Arena.Floats(arena, a.Y, a.N * a.C * a.OH * a.OW), default(WindowLoop.Max));
}
