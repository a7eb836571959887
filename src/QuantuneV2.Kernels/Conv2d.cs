using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QuantuneV2.Kernels;

/// <summary>
/// A 2-D convolution over one NCHW image (callers loop over the batch) with constant weights, packed at
/// construction for the ISA current then. Grouped and dense convolutions run as GEMMs whose B rows are windows
/// of the stride-phase planes of the input (<see cref="PhasePlanes"/>; a 1x1, stride-1, unpadded convolution
/// reads the input itself); depthwise ones (one input channel per group, any channel multiplier) run the direct
/// <see cref="DepthwiseKernel"/>. Instances are immutable: concurrent <see cref="Run"/> calls with separate
/// scratch are safe.
/// </summary>
public sealed unsafe class Conv2d
{
    private readonly Activation _activation;
    private readonly KernelIsa _isa;
    private readonly PhasePlanes _planes;
    private readonly float[] _bias;

    /// <summary>Per group, [OutChannels / Groups, InChannels / Groups · kH · kW]; empty when depthwise.</summary>
    private readonly PackedMatrix[] _groupWeights;

    /// <summary>Depthwise weights [OutChannels, kH · kW]; empty otherwise.</summary>
    private readonly float[] _depthwiseWeights;

    /// <summary>Where each GEMM depth row (c, ky, kx) of one group, or each depthwise tap, starts in the planes.</summary>
    private readonly nint[] _offsets;

    /// <summary>Floats of phase planes in scratch, 0 when the input is read in place.</summary>
    private readonly int _planesLength;

    /// <summary>Columns readable from every B row of every group (≥ the columns computed).</summary>
    private readonly int _readable;

    /// <summary>Floats of the wide-output buffer (rows · columns per pass).</summary>
    private readonly int _wideLength;

    private readonly int _edgeLength;

    public Conv2d(Conv2dGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Activation activation = default)
    {
        geometry.Validate();
        var g = geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups;
        int taps = g.KernelHeight * g.KernelWidth;
        int depth = inPerGroup * taps;
        if (weights.Length != (long)g.OutChannels * depth)
            throw new ArgumentException($"Weights [{g.OutChannels}, {inPerGroup}, {g.KernelHeight}, {g.KernelWidth}] need {(long)g.OutChannels * depth} values, got {weights.Length}.", nameof(weights));
        if (!bias.IsEmpty && bias.Length != g.OutChannels)
            throw new ArgumentException($"Bias needs {g.OutChannels} values, got {bias.Length}.", nameof(bias));

        Geometry = g;
        _activation = activation;
        _isa = KernelDispatch.Current;
        _planes = new PhasePlanes(g);
        _bias = bias.ToArray();
        _offsets = GC.AllocateArray<nint>(depth, pinned: true);
        for (int c = 0, kk = 0; c < inPerGroup; c++)
        {
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++)
                    _offsets[kk++] = _planes.TapOffset(c, ky, kx);
            }
        }

        nint maxOffset = _offsets.Max();
        int columns = _planes.WideColumns;
        if (IsDepthwise)
        {
            _groupWeights = [];
            _depthwiseWeights = weights.ToArray();
            // Rows of at least one vector are written straight to the output; narrower images are computed wide,
            // whole vectors at a time, into a buffer. Either way reads stay inside the (zeroed) tail of the planes.
            int lanes = MicroTile.Lanes(_isa);
            int computed = AlignedMemory.RoundUp(columns, lanes);
            _planesLength = checked((int)Math.Max(_planes.ChannelSize, maxOffset + computed));
            _wideLength = g.OutWidth >= lanes ? 0 : computed;
        }
        else
        {
            _depthwiseWeights = [];
            _groupWeights = new PackedMatrix[g.Groups];
            for (int grp = 0; grp < g.Groups; grp++)
                _groupWeights[grp] = PackedMatrix.Pack(weights.Slice(grp * outPerGroup * depth, outPerGroup * depth), outPerGroup, depth, _isa);

            int nr = MicroTile.Columns(_isa);
            if (_planes.IsInput && taps == 1)
            {
                _readable = columns;
            }
            else
            {
                // Panels end at most at the columns rounded up to Nr; the zeroed tail keeps their reads in bounds.
                long lastGroup = (long)(g.Groups - 1) * inPerGroup * _planes.ChannelSize + maxOffset;
                _planesLength = checked((int)Math.Max((long)g.InChannels * _planes.ChannelSize, lastGroup + AlignedMemory.RoundUp(columns, nr)));
                _readable = (int)(_planesLength - lastGroup);
                if (_planes.IsWide)
                    _wideLength = checked(outPerGroup * GemmBlocking.Nc(nr));
            }

            _edgeLength = GemmBlocking.EdgeLength(nr);
        }

        ScratchLength = checked(AlignedMemory.Slack + Aligned(_planesLength) + Aligned(_wideLength) + _edgeLength);
    }

    public Conv2dGeometry Geometry { get; }

    /// <summary>Floats of scratch each <see cref="Run"/> needs (phase planes, wide output, edge panel).</summary>
    public int ScratchLength { get; }

    private bool IsDepthwise => Geometry.Groups > 1 && Geometry.InChannels == Geometry.Groups;

    /// <summary>output [OutChannels, OutHeight, OutWidth] = conv(input [InChannels, InHeight, InWidth]).</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        var g = Geometry;
        long inLength = (long)g.InChannels * g.InHeight * g.InWidth;
        long outLength = (long)g.OutChannels * g.OutHeight * g.OutWidth;
        if (input.Length < inLength)
            throw new ArgumentException($"Input needs {inLength} values, got {input.Length}.", nameof(input));
        if (output.Length < outLength)
            throw new ArgumentException($"Output needs {outLength} values, got {output.Length}.", nameof(output));
        if (scratch.Length < ScratchLength)
            throw new ArgumentException($"Scratch needs {ScratchLength} values, got {scratch.Length}.", nameof(scratch));

        fixed (float* pIn = input)
        fixed (float* pOut = output)
        fixed (float* pScratch = scratch)
        {
            var run = new Invocation { Conv = this, Input = pIn, Output = pOut, Scratch = AlignedMemory.Align(pScratch) };
            KernelDispatch.Run(_isa, ref run);
        }
    }

    private static int Aligned(int length) => AlignedMemory.RoundUp(length, AlignedMemory.Slack);

    private nint* Offsets => (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_offsets));

    private void RunGemm<TK, TOps, TVec>(float* input, float* output, float* scratch)
        where TK : struct, ISgemmMicroKernel
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        var g = Geometry;
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups;
        int outPlane = g.OutHeight * g.OutWidth, columns = _planes.WideColumns;
        float* planes = _planesLength == 0 ? input : scratch;
        float* wide = scratch + Aligned(_planesLength);
        float* edge = wide + Aligned(_wideLength);
        if (_planesLength > 0)
            FillPlanes<TOps, TVec>(planes, input, g.InChannels);

        fixed (float* bias = _bias)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* a = _groupWeights[grp].Data;
                float* b = planes + (nint)grp * inPerGroup * _planes.ChannelSize;
                float* c = output + (nint)grp * outPerGroup * outPlane;
                float* groupBias = bias == null ? null : bias + grp * outPerGroup;
                int depth = _groupWeights[grp].Depth;
                if (!_planes.IsWide)
                {
                    GemmDriver<TK>.Run(a, outPerGroup, depth, b, Offsets, columns, _readable, c, outPlane, groupBias, false, _activation, edge);
                    continue;
                }

                // Wide results go through a buffer one column block at a time, compacted while still in cache.
                int block = GemmBlocking.Nc(TK.Nr);
                for (int j0 = 0; j0 < columns; j0 += block)
                {
                    int count = Math.Min(block, columns - j0);
                    GemmDriver<TK>.Run(a, outPerGroup, depth, b + j0, Offsets, count, _readable - j0, wide, count, groupBias, false, _activation, edge);
                    for (int oc = 0; oc < outPerGroup; oc++)
                        _planes.Compact(wide + (nint)oc * count, j0, count, c + (nint)oc * outPlane);
                }
            }
        }
    }

    private void RunDepthwise<TOps, TVec>(float* input, float* output, float* scratch)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        var g = Geometry;
        int multiplier = g.OutChannels / g.InChannels, taps = g.KernelHeight * g.KernelWidth;
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth, columns = _planes.WideColumns, wq = _planes.PhaseColumns;
        float* wide = scratch + Aligned(_planesLength);
        fixed (float* weights = _depthwiseWeights)
        {
            for (int c = 0; c < g.InChannels; c++)
            {
                FillPlanes<TOps, TVec>(scratch, input + (nint)c * inPlane, 1);
                for (int m = 0; m < multiplier; m++)
                {
                    int oc = c * multiplier + m;
                    float bias = _bias.Length == 0 ? 0f : _bias[oc];
                    float* w = weights + oc * taps, dst = output + (nint)oc * outPlane;
                    if (_wideLength == 0)
                    {
                        int oy = 0;
                        if (g.StrideH == 1 && g.DilationH == 1)
                        {
                            for (; oy + 1 < g.OutHeight; oy += 2)
                            {
                                float* row = dst + (nint)oy * g.OutWidth;
                                DepthwiseKernel.RunRowPair<TOps, TVec>(scratch + (nint)oy * wq, Offsets, w, g.KernelHeight, g.KernelWidth, wq, bias, _activation, row, row + g.OutWidth, g.OutWidth);
                            }
                        }

                        for (; oy < g.OutHeight; oy++)
                            DepthwiseKernel.Run<TOps, TVec>(scratch + (nint)oy * wq, Offsets, w, taps, bias, _activation, dst + (nint)oy * g.OutWidth, g.OutWidth);
                    }
                    else
                    {
                        DepthwiseKernel.Run<TOps, TVec>(scratch, Offsets, w, taps, bias, _activation, wide, _wideLength);
                        _planes.Compact(wide, 0, columns, dst);
                    }
                }
            }
        }
    }

    /// <summary>Phase planes of <paramref name="channels"/> channels, then zeros up to the planes length (read by
    /// columns that are computed and dropped; zeros keep denormals and NaN out of them).</summary>
    private void FillPlanes<TOps, TVec>(float* planes, float* input, int channels)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        _planes.Fill<TOps, TVec>(planes, input, channels);
        long filled = (long)channels * _planes.ChannelSize;
        new Span<float>(planes + filled, (int)(_planesLength - filled)).Clear();
    }

    private struct Invocation : IIsaAction
    {
        public Conv2d Conv;
        public float* Input;
        public float* Output;
        public float* Scratch;

        public void Run<TKernel, TOps, TVec>()
            where TKernel : struct, ISgemmMicroKernel
            where TOps : struct, ISimdOps<TVec>
            where TVec : struct
        {
            if (Conv.IsDepthwise)
                Conv.RunDepthwise<TOps, TVec>(Input, Output, Scratch);
            else
                Conv.RunGemm<TKernel, TOps, TVec>(Input, Output, Scratch);
        }
    }
}
