using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// Windowed-op geometry shared by Conv, MaxPool and AveragePool: kernel, strides, dilations,
/// explicit or automatic (SAME_UPPER/SAME_LOWER/VALID) pads, and ceil mode.
/// </summary>
public sealed class SpatialGeometry
{
    private SpatialGeometry(int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, bool ceilMode)
    {
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        ExplicitPads = pads;
        AutoPad = autoPad;
        CeilMode = ceilMode;
    }

    public int[] Kernel { get; }
    public int[] Strides { get; }
    public int[] Dilations { get; }
    /// <summary>[begin..., end...] as in ONNX's pads attribute (used when AutoPad is NOTSET).</summary>
    public int[] ExplicitPads { get; }
    public string AutoPad { get; }
    public bool CeilMode { get; }
    public int Rank => Kernel.Length;

    /// <summary>The window with concrete sizes for an input and output of these dims (N, C, spatial...).</summary>
    public Window3d Window(int[] inDims, int[] outDims) =>
        new(Kernel, Strides, Dilations, [.. Enumerable.Range(0, Rank).Select(k => Pads(k, inDims[k + 2]))], inDims, outDims);

    public static SpatialGeometry Read(NodeContext ctx, int[] kernel, bool ceilAllowed)
    {
        int r = kernel.Length;
        if (kernel.Any(k => k < 1)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"kernel_shape [{string.Join(",", kernel)}] must be positive");
        var strides = Ints(ctx, "strides", r, 1);
        var dilations = Ints(ctx, "dilations", r, 1);
        var pads = Ints(ctx, "pads", 2 * r, 0);
        if (strides.Any(s => s < 1) || dilations.Any(d => d < 1)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "strides and dilations must be positive");
        if (pads.Any(p => p < 0)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "pads must be non-negative");
        var autoPad = ctx.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
            throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        bool ceil = ceilAllowed && ctx.Int("ceil_mode", 0) != 0;
        return new SpatialGeometry(kernel, strides, dilations, pads, autoPad, ceil);
    }

    private static int[] Ints(NodeContext ctx, string name, int count, int fallback)
    {
        var v = ctx.Ints(name);
        if (v is null) return Enumerable.Repeat(fallback, count).ToArray();
        if (v.Length != count) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"{name} has {v.Length} values, expected {count}");
        if (v.Any(x => x > int.MaxValue / 4 || x < int.MinValue / 4)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"{name} is out of range");
        return v.Select(x => (int)x).ToArray();
    }

    private int Extent(int k) => (Kernel[k] - 1) * Dilations[k] + 1;

    /// <summary>Pads (begin, end) for spatial axis k at input size <paramref name="input"/>.</summary>
    public (int Begin, int End) Pads(int k, int input)
    {
        switch (AutoPad)
        {
            case "VALID": return (0, 0);
            case "SAME_UPPER":
            case "SAME_LOWER":
                int output = (input + Strides[k] - 1) / Strides[k];
                int total = Math.Max(0, (output - 1) * Strides[k] + Extent(k) - input);
                int small = total / 2, large = total - small;
                return AutoPad == "SAME_UPPER" ? (small, large) : (large, small);
            default: return (ExplicitPads[k], ExplicitPads[k + Rank]);
        }
    }

    public int OutputSize(int k, int input)
    {
        if (AutoPad is "SAME_UPPER" or "SAME_LOWER") return (input + Strides[k] - 1) / Strides[k];
        var (b, e) = Pads(k, input);
        long span = (long)input + b + e - Extent(k);
        if (span < 0) return -1;
        long output = (CeilMode ? (span + Strides[k] - 1) / Strides[k] : span / Strides[k]) + 1;
        // Ceil mode never starts a window entirely inside the end padding (as PyTorch and ONNX Runtime).
        if (CeilMode && (output - 1) * Strides[k] >= input + b) output--;
        return (int)output;
    }

    /// <summary>Output dims [N, C, spatial...] for an input shape; unknown spatial dims stay unknown.</summary>
    public Shape OutputShape(NodeContext ctx, Shape input, Dim channels)
    {
        var dims = new Dim[input.Rank];
        dims[0] = input[0];
        dims[1] = channels;
        for (int k = 0; k < Rank; k++)
        {
            var d = input[k + 2];
            if (!d.IsKnown) { dims[k + 2] = Dim.Unknown; continue; }
            int o = OutputSize(k, checked((int)d.Value));
            if (o < 1) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"window {Extent(k)} does not fit spatial dim {k} of {input} with its pads");
            dims[k + 2] = Dim.Of(o);
        }
        return new Shape([.. dims]);
    }
}
