namespace QuantuneV2.Kernels;

/// <summary>
/// Shape of a 2-D convolution over one NCHW image (ONNX Conv semantics): weights are
/// [OutChannels, InChannels / Groups, KernelHeight, KernelWidth]; pads are explicit per side.
/// </summary>
public readonly record struct Conv2dGeometry(
    int InChannels, int InHeight, int InWidth, int OutChannels, int KernelHeight, int KernelWidth,
    int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadLeft, int PadBottom, int PadRight,
    int Groups)
{
    public int OutHeight => OutputExtent(InHeight + PadTop + PadBottom, KernelHeight, StrideH, DilationH);

    public int OutWidth => OutputExtent(InWidth + PadLeft + PadRight, KernelWidth, StrideW, DilationW);

    /// <summary>Multiply-accumulates per image, the work measure for GMAC/s.</summary>
    public long MultiplyAccumulates =>
        (long)OutChannels * OutHeight * OutWidth * (InChannels / Groups) * KernelHeight * KernelWidth;

    /// <summary>Square kernel, equal strides, dilations and pads on every side.</summary>
    public static Conv2dGeometry Create(
        int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride = 1, int pad = 0,
        int dilation = 1, int groups = 1)
        => new(inChannels, inHeight, inWidth, outChannels, kernel, kernel, stride, stride, dilation, dilation,
            pad, pad, pad, pad, groups);

    internal void Validate()
    {
        if (InChannels < 1 || InHeight < 1 || InWidth < 1 || OutChannels < 1 || KernelHeight < 1 || KernelWidth < 1)
            throw new ArgumentException($"Channels, input size and kernel size must be positive: {this}.");
        if (StrideH < 1 || StrideW < 1 || DilationH < 1 || DilationW < 1)
            throw new ArgumentException($"Strides and dilations must be positive: {this}.");
        if (PadTop < 0 || PadLeft < 0 || PadBottom < 0 || PadRight < 0)
            throw new ArgumentException($"Pads must not be negative: {this}.");
        if (Groups < 1 || InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"Groups must divide both channel counts: {this}.");
        if (OutHeight < 1 || OutWidth < 1)
            throw new ArgumentException($"The dilated kernel is larger than the padded input: {this}.");
    }

    // Floor division, so that a kernel larger than the padded input yields 0 rather than 1.
    private static int OutputExtent(int padded, int kernel, int stride, int dilation)
    {
        int span = padded - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }
}
