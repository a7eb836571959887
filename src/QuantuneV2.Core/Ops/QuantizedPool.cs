using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Kernels;

namespace QuantuneV2.Core.Ops;

/// <summary>The loop nest of the int8 pools (QMaxPool, QAveragePool): each output window's taps inside the input, folded in int32.</summary>
internal static class QuantizedPool
{
    /// <summary>Folds one window; a struct so that the loop nest is specialised per pool.</summary>
    public interface IReducer
    {
        int Seed { get; }
        int Combine(int accumulator, int value);
        /// <summary>The stored (saturated) output for the window at (z, y, x) with <paramref name="taps"/> taps inside the input.</summary>
        int Finish(int accumulator, int z, int y, int x, int taps);
    }

    public static void Run<TReducer>(Window3d w, int planes, ReadOnlySpan<int> x, Tensor y, TReducer reducer) where TReducer : struct, IReducer
    {
        int o = 0;
        for (int p = 0; p < planes; p++)
            for (int z = 0; z < w.Out[0]; z++)
                for (int yy = 0; yy < w.Out[1]; yy++)
                    for (int xx = 0; xx < w.Out[2]; xx++, o++)
                    {
                        var (a0, a1) = w.ValidTaps(0, z);
                        var (b0, b1) = w.ValidTaps(1, yy);
                        var (c0, c1) = w.ValidTaps(2, xx);
                        int acc = reducer.Seed;
                        for (int a = a0; a < a1; a++)
                            for (int b = b0; b < b1; b++)
                                for (int c = c0; c < c1; c++)
                                {
                                    int iz = z * w.S[0] - w.PadBegin[0] + a * w.D[0], iy = yy * w.S[1] - w.PadBegin[1] + b * w.D[1], ix = xx * w.S[2] - w.PadBegin[2] + c * w.D[2];
                                    acc = reducer.Combine(acc, x[p * w.InPlane + (iz * w.In[1] + iy) * w.In[2] + ix]);
                                }
                        QuantTensor.Write(y, o, reducer.Finish(acc, z, yy, xx, (a1 - a0) * (b1 - b0) * (c1 - c0)));
                    }
    }
}
