namespace QuantuneV2.Kernels;

/// <summary>
/// The transposed 2-D convolution that carries an output cotangent back to the input (the data gradient of
/// <see cref="Conv2d"/>): per group, columns = Wᵀ·dY as one matrix product, then each column entry is added to
/// the input position its tap reads (the reverse of im2col). Weights are [OutChannels, InChannels / Groups, KH, KW].
/// </summary>
public sealed class Conv2dBackwardData
{
    private readonly Conv2dGeometry _g;
    private readonly float[] _weights;
    private readonly float[] _columns;

    public Conv2dBackwardData(Conv2dGeometry geometry, ReadOnlySpan<float> weights)
    {
        geometry.Validate();
        _g = geometry;
        int taps = geometry.InChannels / geometry.Groups * geometry.KernelHeight * geometry.KernelWidth;
        if (weights.Length != geometry.OutChannels * taps)
            throw new ArgumentException($"Weights need {geometry.OutChannels * taps} values, got {weights.Length}.", nameof(weights));
        _weights = weights.ToArray();
        _columns = new float[taps * geometry.OutHeight * geometry.OutWidth];
    }

    /// <summary>inputGradient [InChannels, InHeight, InWidth] += convᵀ(outputGradient [OutChannels, OutHeight, OutWidth]) for one image.</summary>
    public void Accumulate(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        var g = _g;
        int cg = g.InChannels / g.Groups, mg = g.OutChannels / g.Groups, kk = g.KernelHeight * g.KernelWidth;
        int taps = cg * kk, outH = g.OutHeight, outW = g.OutWidth, plane = outH * outW, inPlane = g.InHeight * g.InWidth;
        for (int group = 0; group < g.Groups; group++)
        {
            Sgemm.Multiply(true, false, taps, plane, mg, 1f, _weights.AsSpan(group * mg * taps, mg * taps), taps,
                outputGradient.Slice(group * mg * plane, mg * plane), plane, 0f, _columns, plane);
            for (int row = 0; row < taps; row++)
            {
                int c = row / kk, ky = row % kk / g.KernelWidth, kx = row % g.KernelWidth;
                var target = inputGradient.Slice((group * cg + c) * inPlane, inPlane);
                var column = _columns.AsSpan(row * plane, plane);
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                    if ((uint)iy >= (uint)g.InHeight) continue;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                        if ((uint)ix < (uint)g.InWidth) target[iy * g.InWidth + ix] += column[oy * outW + ox];
                    }
                }
            }
        }
    }
}
