using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning.Program;

/// <summary>
/// The arena's layout rule: a quantized (uint8/int8) value of rank 4 is stored channels-last (NHWC), so the int8
/// kernels find a pixel's channels as one contiguous run (docs/kernels.md); every other value is row-major as the
/// graph shapes it.
/// </summary>
internal static class ChannelsLast
{
    public static bool Applies(Graph graph, string value)
    {
        var t = graph.TypeOf(value);
        return t.DataType is DataType.UInt8 or DataType.Int8 && t.Shape!.Rank == 4;
    }

    /// <summary>Whether the value's bytes differ from row-major order: channels-last with more than one channel and more than one pixel.</summary>
    public static bool Reorders(Graph graph, string value)
    {
        if (!Applies(graph, value)) return false;
        var d = graph.TypeOf(value).Shape!.ToInts();
        return d[1] > 1 && d[2] * d[3] > 1;
    }

    /// <summary>(channels, pixels per image) of a channels-last value; (1, 1) for one stored row-major, which makes a relayout a plain copy.</summary>
    public static (int Channels, int Plane) Extent(Graph graph, string value)
    {
        if (!Applies(graph, value)) return (1, 1);
        var d = graph.TypeOf(value).Shape!.ToInts();
        return (d[1], d[2] * d[3]);
    }

    /// <summary>A logical axis of a channels-last value as its position in memory (N, H, W, C).</summary>
    public static int PhysicalAxis(Graph graph, string value, int axis) => !Applies(graph, value) ? axis : axis switch { 0 => 0, 1 => 3, _ => axis - 1 };

    /// <summary>The dims in memory order.</summary>
    public static int[] PhysicalDims(Graph graph, string value)
    {
        var d = graph.TypeOf(value).Shape!.ToInts();
        return Applies(graph, value) ? [d[0], d[2], d[3], d[1]] : d;
    }
}
