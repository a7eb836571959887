using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// QConv (domain com.quantune): the int8 convolution of docs/numerics.md, computed by the scalar
/// integer reference kernel that every SIMD kernel and the generated code must match bit for bit.
/// Inputs: x (uint8/int8), w (int8, constant), bias (int32, optional), multiplier (float32 per output
/// channel: s_x·s_w[c]/s_y), and an optional residual z (uint8/int8, the output's shape).
/// Attributes: Conv's geometry, x_zero_point, the shared output attributes (<see cref="QuantizedOutput"/>),
/// and with a residual z_zero_point and z_multiplier (s_z/s_y).
///   acc = bias[c] + Σ (x − x_zp)·w   (padding reads x_zp, i.e. real zero)
///   y   = clamp(requantize(acc, multiplier[c]))                                          without z
///   y   = clamp(saturate(round_half_even(float32(acc)·M[c] + float32(z − z_zp)·Mz) + y_zp))   with z
/// </summary>
public sealed class QConv : Op
{
    public override string OpType => "QConv";
    public override string Domain => OpRegistry.QuantuneDomain;

    public override void Infer(InferenceContext ctx)
    {
        QuantizedOutput.CheckLinearInputs(ctx, maxInputs: 5);
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        var g = Conv.Geometry(ctx, x, w);
        long groups = ctx.Int("group", 1);
        if (groups < 1 || (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value * groups) || (w[0].IsKnown && w[0].Value % groups != 0))
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {x}, weight {w} and group {groups} do not fit");
        foreach (var i in new[] { 2, 3 })
            if (ctx.HasInput(i) && (ctx.InputShape(i).Rank != 1 || (ctx.InputShape(i)[0].IsKnown && w[0].IsKnown && ctx.InputShape(i)[0].Value != w[0].Value)))
                throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {i} {ctx.InputShape(i)} must be [{w[0]}]");
        var y = g.OutputShape(ctx, x, w[0]);
        if (ctx.HasInput(4))
        {
            ctx.RequireType(4, DataType.UInt8, DataType.Int8);
            if (!ctx.InputShape(4).Equals(y)) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"residual {ctx.InputShape(4)} must have the output shape {y}");
            if (!ctx.Node.HasAttribute("z_multiplier")) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "a residual input needs z_multiplier");
        }
        ctx.SetOutput(0, QuantizedOutput.Read(ctx).DataType, y);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var xDims = ctx.InputDims(0);
        var wDims = ctx.InputDims(1);
        var g = Conv.Geometry(ctx, Shape.Of(xDims), Shape.Of(wDims));
        return new ReferenceKernel(g.Window(xDims, ctx.OutputDims(0)), xDims[0], xDims[1], wDims[0], (int)ctx.Int("group", 1),
            (int)ctx.Int("x_zero_point", 0), QuantizedOutput.Read(ctx), (int)ctx.Int("z_zero_point", 0), ctx.Float("z_multiplier", 0));
    }

    /// <summary>
    /// Obviously-correct integer loops, ordered so the innermost one runs over a contiguous run of int32
    /// accumulators: x − x_zp is written once per run into a zero-padded int buffer, so a padding tap adds
    /// exactly 0 and no tap needs a bounds check. Integer sums are exact (and wrap the same in any order),
    /// so the result is the formula's bit for bit. The buffers belong to the kernel (one session, one thread).
    /// </summary>
    private sealed class ReferenceKernel : Kernel
    {
        private readonly Window3d _w;
        private readonly int _batch, _inChannels, _outChannels, _groups, _xZero, _zZero;
        private readonly QuantizedOutput _output;
        private readonly float _zMultiplier;
        private readonly int[] _padded = new int[3];
        // Accumulator layout. With unit strides the accumulators take the padded input's row and plane
        // pitch, so one tap of one channel is a single contiguous run over all output rows (the columns
        // past the output width collect values that are never read); otherwise one run per output row.
        private readonly int _accRow, _accPlane, _runLength;
        private readonly int[] _runAcc, _runSrc;  // per run: its first accumulator and the padded input position tap 0 reads for it
        private readonly int[] _tapOffsets;       // per kernel tap: its displacement in the padded input plane
        private readonly int[] _x, _acc, _y, _z;

        public ReferenceKernel(Window3d w, int batch, int inChannels, int outChannels, int groups, int xZero, QuantizedOutput output, int zZero, float zMultiplier)
        {
            (_w, _batch, _inChannels, _outChannels, _groups, _xZero, _output, _zZero, _zMultiplier) = (w, batch, inChannels, outChannels, groups, xZero, output, zZero, zMultiplier);
            // The padded extent covers the pads and every position a tap reaches (the last window may overhang the end pad).
            for (int a = 0; a < 3; a++) _padded[a] = Math.Max(w.In[a] + w.PadBegin[a], (w.Out[a] - 1) * w.S[a] + (w.K[a] - 1) * w.D[a] + 1);
            int p1 = _padded[1], p2 = _padded[2];
            bool merged = w.S[0] == 1 && w.S[1] == 1 && w.S[2] == 1;
            (_accRow, _accPlane) = merged ? (p2, p1 * p2) : (w.Out[2], w.Out[1] * w.Out[2]);
            int runs = w.OutPlane == 0 ? 0 : merged ? 1 : w.Out[0] * w.Out[1];
            _runLength = merged ? (w.Out[0] - 1) * _accPlane + (w.Out[1] - 1) * _accRow + w.Out[2] : w.Out[2];
            _runAcc = new int[runs];
            _runSrc = new int[runs];
            for (int r = 0; r < runs; r++)
            {
                int z = r / w.Out[1], yy = r % w.Out[1];
                _runAcc[r] = z * _accPlane + yy * _accRow;
                _runSrc[r] = (z * w.S[0] * p1 + yy * w.S[1]) * p2;
            }
            _tapOffsets = new int[w.KernelVolume];
            for (int a = 0, t = 0; a < w.K[0]; a++)
                for (int bb = 0; bb < w.K[1]; bb++)
                    for (int cc = 0; cc < w.K[2]; cc++, t++) _tapOffsets[t] = (a * w.D[0] * p1 + bb * w.D[1]) * p2 + cc * w.D[2];
            _x = new int[inChannels * PaddedPlane];
            _acc = new int[w.Out[0] * _accPlane];
            _y = new int[w.OutPlane];
            _z = new int[w.OutPlane];
        }

        private int PaddedPlane => _padded[0] * _padded[1] * _padded[2];

        public override void Run(Tensor?[] inputs, Tensor[] outputs)
        {
            var x = inputs[0]!;
            var wt = inputs[1]!.Span<sbyte>();
            var bias = inputs[2] is { } b ? b.Span<int>() : default;
            var multiplier = inputs[3]!.Floats;
            var residual = inputs.Length > 4 ? inputs[4] : null;
            var w = _w;
            int cg = _inChannels / _groups, mg = _outChannels / _groups, kv = w.KernelVolume, paddedPlane = PaddedPlane, s2 = w.S[2];
            for (int n = 0; n < _batch; n++)
            {
                // Only the interior is written: the pads keep the zeros they were allocated with.
                for (int c = 0; c < _inChannels; c++)
                    for (int iz = 0; iz < w.In[0]; iz++)
                        for (int iy = 0; iy < w.In[1]; iy++)
                        {
                            var row = _x.AsSpan(c * paddedPlane + ((iz + w.PadBegin[0]) * _padded[1] + iy + w.PadBegin[1]) * _padded[2] + w.PadBegin[2], w.In[2]);
                            QuantTensor.Read(x, ((n * _inChannels + c) * w.In[0] + iz) * w.In[1] * w.In[2] + iy * w.In[2], row);
                            for (int i = 0; i < row.Length; i++) row[i] -= _xZero;
                        }
                for (int m = 0; m < _outChannels; m++)
                {
                    Array.Fill(_acc, bias.IsEmpty ? 0 : bias[m]);
                    for (int c = 0; c < cg; c++)
                    {
                        var plane = _x.AsSpan((m / mg * cg + c) * paddedPlane, paddedPlane);
                        var taps = wt.Slice((m * cg + c) * kv, kv);
                        for (int t = 0; t < taps.Length; t++)
                        {
                            int wv = taps[t];
                            for (int r = 0; r < _runAcc.Length; r++)
                            {
                                var acc = _acc.AsSpan(_runAcc[r], _runLength);
                                int start = _runSrc[r] + _tapOffsets[t];
                                if (s2 == 1)
                                {
                                    var src = plane.Slice(start, acc.Length);
                                    for (int i = 0; i < src.Length; i++) acc[i] += src[i] * wv;
                                }
                                else
                                    for (int i = 0; i < acc.Length; i++) acc[i] += plane[start + i * s2] * wv;
                            }
                        }
                    }
                    Requantize(multiplier[m], residual, outputs[0], (n * _outChannels + m) * w.OutPlane);
                }
            }
        }

        /// <summary>One output plane: picks the valid accumulators out of their layout, requantizes, stores.</summary>
        private void Requantize(float multiplier, Tensor? residual, Tensor y, int offset)
        {
            if (residual is not null) QuantTensor.Read(residual, offset, _z);
            int i = 0;
            for (int z = 0; z < _w.Out[0]; z++)
                for (int yy = 0; yy < _w.Out[1]; yy++)
                    for (int xx = 0; xx < _w.Out[2]; xx++, i++)
                    {
                        int acc = _acc[z * _accPlane + yy * _accRow + xx];
                        _y[i] = residual is null ? _output.Requantize(acc, multiplier)
                            : _output.FromScaled((float)acc * multiplier + (float)(_z[i] - _zZero) * _zMultiplier);
                    }
            QuantTensor.Write(y, offset, _y);
        }
    }
}
