using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>The fp32 2-D max pool (NCHW) of a layer the plan keeps fp32: the reference executor's own loop nest (<see cref="WindowLoop"/>).</summary>
public static class MaxPool2d
{
    public sealed class Args
    {
        public int N, C, H, W, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, X, Y;

        private Window3d? _window;

        // The end pads only matter to an average's divisor; a max never reads them.
        internal Window3d Window => _window ??= new Window3d([KH, KW], [SH, SW], [DH, DW], [(PadTop, 0), (PadLeft, 0)], [N, C, H, W], [N, C, OH, OW]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena) =>
        WindowLoop.ForEachWindow(a.Window, a.N * a.C, Arena.Floats(arena, a.X, a.N * a.C * a.H * a.W), Arena.Floats(arena, a.Y, a.N * a.C * a.OH * a.OW), default(WindowLoop.Max));
}
