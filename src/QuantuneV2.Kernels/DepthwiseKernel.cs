namespace QuantuneV2.Kernels;

/// <summary>
/// One output channel of a depthwise convolution, computed directly (im2col + GEMM would do kH·kW MACs per
/// copied element). Over the phase planes of its input channel every tap is a contiguous window (see
/// <see cref="PhasePlanes"/>), so each output vector is a sum of taps·windows, accumulated in registers;
/// four vectors per step share each weight broadcast.
/// </summary>
internal static unsafe class DepthwiseKernel
{
    /// <summary>
    /// dst[j] = activation(bias + Σ_t weights[t]·planes[taps[t] + j]) for j below <paramref name="count"/>,
    /// which must be at least one vector: a ragged end is covered by a last vector overlapping the one before.
    /// </summary>
    internal static void Run<TOps, TVec>(
        float* planes, nint* taps, float* weights, int tapCount, float bias, Activation activation, float* dst, int count)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, last = count - w;
        var start = TOps.Broadcast(bias);
        for (int j = 0; j < count; j += 4 * w)
        {
            // Four independent sums hide the FMA latency. Positions past the end are clamped onto the last vector:
            // a row of 3.5 vectors costs one step, and the duplicate stores write identical values.
            int j1 = Math.Min(j + w, last), j2 = Math.Min(j + 2 * w, last), j3 = Math.Min(j + 3 * w, last);
            int j0 = Math.Min(j, last);
            TVec a0 = start, a1 = start, a2 = start, a3 = start;
            for (int t = 0; t < tapCount; t++)
            {
                float* p = planes + taps[t];
                var wt = TOps.Broadcast(weights[t]);
                a0 = TOps.MulAdd(wt, TOps.Load(p + j0), a0);
                a1 = TOps.MulAdd(wt, TOps.Load(p + j1), a1);
                a2 = TOps.MulAdd(wt, TOps.Load(p + j2), a2);
                a3 = TOps.MulAdd(wt, TOps.Load(p + j3), a3);
            }

            TOps.Store(dst + j0, activation.Apply<TOps, TVec>(a0));
            TOps.Store(dst + j1, activation.Apply<TOps, TVec>(a1));
            TOps.Store(dst + j2, activation.Apply<TOps, TVec>(a2));
            TOps.Store(dst + j3, activation.Apply<TOps, TVec>(a3));
        }
    }

    /// <summary>
    /// Like <see cref="Run"/>, for two output rows <paramref name="pitch"/> apart in the planes, when the vertical
    /// stride and dilation are 1: tap row ky of the second row reads what tap row ky + 1 of the first reads, so
    /// each of the kH + 1 input rows is loaded once for both (3x3: 12 vector loads per pair instead of 18, and
    /// loads, half of them straddling cache lines, are what bounds this kernel).
    /// </summary>
    internal static void RunRowPair<TOps, TVec>(
        float* planes, nint* taps, float* weights, int kernelHeight, int kernelWidth, nint pitch, float bias,
        Activation activation, float* dst0, float* dst1, int count)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count, last = count - w;
        var start = TOps.Broadcast(bias);
        for (int j = 0; j < count; j += 4 * w)
        {
            int j1 = Math.Min(j + w, last), j2 = Math.Min(j + 2 * w, last), j3 = Math.Min(j + 3 * w, last);
            int j0 = Math.Min(j, last);
            TVec a0 = start, a1 = start, a2 = start, a3 = start;
            TVec b0 = start, b1 = start, b2 = start, b3 = start;
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                for (int r = 0; r <= kernelHeight; r++)
                {
                    float* p = r < kernelHeight ? planes + taps[r * kernelWidth + kx] : planes + taps[(r - 1) * kernelWidth + kx] + pitch;
                    TVec v0 = TOps.Load(p + j0), v1 = TOps.Load(p + j1), v2 = TOps.Load(p + j2), v3 = TOps.Load(p + j3);
                    if (r < kernelHeight)
                    {
                        var wt = TOps.Broadcast(weights[r * kernelWidth + kx]);
                        a0 = TOps.MulAdd(wt, v0, a0);
                        a1 = TOps.MulAdd(wt, v1, a1);
                        a2 = TOps.MulAdd(wt, v2, a2);
                        a3 = TOps.MulAdd(wt, v3, a3);
                    }

                    if (r > 0)
                    {
                        var wt = TOps.Broadcast(weights[(r - 1) * kernelWidth + kx]);
                        b0 = TOps.MulAdd(wt, v0, b0);
                        b1 = TOps.MulAdd(wt, v1, b1);
                        b2 = TOps.MulAdd(wt, v2, b2);
                        b3 = TOps.MulAdd(wt, v3, b3);
                    }
                }
            }

            TOps.Store(dst0 + j0, activation.Apply<TOps, TVec>(a0));
            TOps.Store(dst0 + j1, activation.Apply<TOps, TVec>(a1));
            TOps.Store(dst0 + j2, activation.Apply<TOps, TVec>(a2));
            TOps.Store(dst0 + j3, activation.Apply<TOps, TVec>(a3));
            TOps.Store(dst1 + j0, activation.Apply<TOps, TVec>(b0));
            TOps.Store(dst1 + j1, activation.Apply<TOps, TVec>(b1));
            TOps.Store(dst1 + j2, activation.Apply<TOps, TVec>(b2));
            TOps.Store(dst1 + j3, activation.Apply<TOps, TVec>(b3));
        }
    }
}
