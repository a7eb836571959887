using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Planning.Program.Steps;

/// <summary>The 2-D window of a Conv or pool, resolved: input and output sizes, kernel, strides, dilations and the begin pads.</summary>
internal static class Window2d
{
    public static StepContext Add(StepContext c, SpatialGeometry g, int[] x, int[] y)
    {
        if (g.Rank != 2) throw c.Fail($"generated kernels are 2-D; this window has {g.Rank} spatial dims");
        return c.Int("N", x[0]).Int("C", x[1]).Int("H", x[2]).Int("W", x[3]).Int("OH", y[2]).Int("OW", y[3])
            .Int("KH", g.Kernel[0]).Int("KW", g.Kernel[1]).Int("SH", g.Strides[0]).Int("SW", g.Strides[1])
            .Int("DH", g.Dilations[0]).Int("DW", g.Dilations[1]).Int("PadTop", g.Pads(0, x[2]).Begin).Int("PadLeft", g.Pads(1, x[3]).Begin);
    }

    /// <summary>The fields every convolution takes: its window (as Conv reads it), OC and Group; returns the window.</summary>
    public static SpatialGeometry AddConv(StepContext c)
    {
        var x = c.Dims(0);
        var y = c.OutputDims;
        var g = Conv.Geometry(c.Attributes, Shape.Of(x), Shape.Of(c.Dims(1)));
        Add(c, g, x, y).Int("OC", y[1]).Int("Group", c.Attributes.Int("group", 1));
        return g;
    }
}
