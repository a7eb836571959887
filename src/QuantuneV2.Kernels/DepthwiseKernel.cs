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
    /// which must be at least one vector: a ragged end is covered by a last vector overlapping the previous one.
    /// </summary>
    internal static void Run<TOps, TVec>(
        float* planes, nint* taps, float* weights, int tapCount, float bias, Activation activation, float* dst, int count)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        int w = TOps.Count;
        var start = TOps.Broadcast(bias);
        int j = 0;
        for (; j + 4 * w <= count; j += 4 * w)
        {
            TVec a0 = start, a1 = start, a2 = start, a3 = start;
            for (int t = 0; t < tapCount; t++)
            {
                float* p = planes + taps[t] + j;
                var wt = TOps.Broadcast(weights[t]);
                a0 = TOps.MulAdd(wt, TOps.Load(p), a0);
                a1 = TOps.MulAdd(wt, TOps.Load(p + w), a1);
                a2 = TOps.MulAdd(wt, TOps.Load(p + 2 * w), a2);
                a3 = TOps.MulAdd(wt, TOps.Load(p + 3 * w), a3);
            }

            TOps.Store(dst + j, activation.Apply<TOps, TVec>(a0));
            TOps.Store(dst + j + w, activation.Apply<TOps, TVec>(a1));
            TOps.Store(dst + j + 2 * w, activation.Apply<TOps, TVec>(a2));
            TOps.Store(dst + j + 3 * w, activation.Apply<TOps, TVec>(a3));
        }

        for (; j < count; j += w)
        {
            // Recomputing a few outputs is cheaper than a scalar tail, and harmless: dst is not read.
            j = Math.Min(j, count - w);
            TVec a = start;
            for (int t = 0; t < tapCount; t++)
                a = TOps.MulAdd(TOps.Broadcast(weights[t]), TOps.Load(planes + taps[t] + j), a);
            TOps.Store(dst + j, activation.Apply<TOps, TVec>(a));
        }
    }
}
