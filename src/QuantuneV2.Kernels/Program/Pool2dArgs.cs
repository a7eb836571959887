namespace QuantuneV2.Kernels.Program;

/// <summary>The window every 2-D pool step takes (the planner's <c>Window2d</c> fields, plus the end pads) and its arena offsets.</summary>
public abstract class Pool2dArgs
{
    public int N, C, H, W, OH, OW, KH, KW, SH, SW, DH, DW, PadTop, PadLeft, PadBottom, PadRight, X, Y;

    private Window3d? _window;

    // Only an average's divisor reads the end pads (Window3d.PaddedTaps); max pools leave them 0.
    internal Window3d Window => _window ??= new Window3d([KH, KW], [SH, SW], [DH, DW], [(PadTop, PadBottom), (PadLeft, PadRight)], [N, C, H, W], [N, C, OH, OW]);
}
