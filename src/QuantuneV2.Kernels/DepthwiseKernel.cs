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
}
