namespace QuantuneV2.Kernels;

/// <summary>The fp32 pooling loop nest, shared by the reference executor's pools and the generated code's.</summary>
public static class WindowLoop
{
    /// <summary>Folds one window into a value; a struct so that the shared loop nest is specialised and the accumulator stays in a register.</summary>
    public interface IWindowReducer
    {
        float Seed { get; }
        float Combine(float accumulator, float value);
        /// <summary>The output for a window at (z, y, x) whose clipped tap count is <paramref name="taps"/>.</summary>
        float Finish(float accumulator, int z, int y, int x, int taps);
    }

    /// <summary>The loop nest every pool shares: each output window, with tap ranges clipped to the input.</summary>
    public static void ForEachWindow<TReducer>(Window3d w, int planes, ReadOnlySpan<float> input, Span<float> output, TReducer reducer) where TReducer : struct, IWindowReducer
    {
        // Geometry in locals: the JIT cannot hoist array reads out of these loops by itself.
        int outZ = w.Out[0], outY = w.Out[1], outX = w.Out[2], inY = w.In[1], inX = w.In[2];
        int sz = w.S[0], sy = w.S[1], sx = w.S[2], dz = w.D[0], dy = w.D[1], dx = w.D[2];
        int pz = w.PadBegin[0], py = w.PadBegin[1], px = w.PadBegin[2];
        Span<(int First, int Last)> tapsX = outX <= 512 ? stackalloc (int, int)[outX] : new (int, int)[outX];
        for (int xx = 0; xx < outX; xx++) tapsX[xx] = w.ValidTaps(2, xx);
        for (int p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * w.InPlane, w.InPlane);
            int o = p * w.OutPlane;
            for (int z = 0; z < outZ; z++)
            {
                var (a0, a1) = w.ValidTaps(0, z);
                for (int yy = 0; yy < outY; yy++)
                {
                    var (b0, b1) = w.ValidTaps(1, yy);
                    for (int xx = 0; xx < outX; xx++, o++)
                    {
                        var (c0, c1) = tapsX[xx];
                        float acc = reducer.Seed;
                        for (int a = a0; a < a1; a++)
                        {
                            int iz = z * sz - pz + a * dz;
                            for (int b = b0; b < b1; b++)
                            {
                                int row = (iz * inY + yy * sy - py + b * dy) * inX + xx * sx - px;
                                for (int c = c0; c < c1; c++) acc = reducer.Combine(acc, plane[row + c * dx]);
                            }
                        }
                        output[o] = reducer.Finish(acc, z, yy, xx, (a1 - a0) * (b1 - b0) * (c1 - c0));
                    }
                }
            }
        }
    }

    /// <summary>MaxPool's reducer.</summary>
    public readonly struct Max : IWindowReducer
    {
        public float Seed => float.NegativeInfinity;
        // Branch-free: a compare-and-branch here mispredicts on every other tap of real images.
        public float Combine(float accumulator, float value) => MathF.Max(accumulator, value);
        public float Finish(float accumulator, int z, int y, int x, int taps) => accumulator;
    }

    /// <summary>AveragePool's reducer: the sum over the taps inside the input, divided by the taps counted (with count_include_pad, those inside input + pads).</summary>
    public readonly struct Mean(Window3d w, bool includePad) : IWindowReducer
    {
        public float Seed => 0f;
        public float Combine(float accumulator, float value) => accumulator + value;

        public float Finish(float accumulator, int z, int y, int x, int taps) =>
            accumulator / Math.Max(includePad ? w.PaddedTaps(z, y, x) : taps, 1);
    }
}
