using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Quantization;

/// <summary>Symmetric int8 weights, one scale per output channel (axis 0) or one for the whole tensor.</summary>
public sealed record QuantizedWeights(sbyte[] Values, float[] Scales, int[] Dims, bool PerChannel)
{
    /// <summary>Scale of output channel <paramref name="channel"/> (the single scale when per-tensor).</summary>
    public float ScaleOf(int channel) => PerChannel ? Scales[channel] : Scales[0];

    /// <summary>Dequantized weights, for the weight SQNR and float simulations.</summary>
    public float[] Dequantize()
    {
        int per = Values.Length / Dims[0];
        var r = new float[Values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Values[i] * ScaleOf(i / per);
        return r;
    }
}

public static class WeightQuantizer
{
    /// <summary>
    /// q = clamp(round_half_even(w / s), −L, L) with s = max|w| / L over the channel (or tensor),
    /// L = 127, or 63 with <paramref name="reduceRange"/> (7-bit weights keep u8×s8 pair sums inside
    /// int16 for the exact AVX2 paths). An all-zero channel gets scale 1.
    /// </summary>
    public static QuantizedWeights Quantize(Tensor weights, bool perChannel, bool reduceRange)
    {
        if (weights.DataType != DataType.Float || weights.Rank == 0) throw new ArgumentException($"weights must be a float tensor of rank ≥ 1, got {weights}");
        int limit = reduceRange ? 63 : 127;
        var w = weights.Floats;
        int channels = weights.Dims[0], per = w.Length / Math.Max(channels, 1);
        int groups = perChannel ? channels : 1, size = perChannel ? per : w.Length;
        var scales = new float[groups];
        var q = new sbyte[w.Length];
        for (int g = 0; g < groups; g++)
        {
            var block = w.Slice(g * size, size);
            float maxAbs = 0;
            foreach (var v in block) maxAbs = Math.Max(maxAbs, Math.Abs(v));
            float s = maxAbs > 0 ? maxAbs / limit : 1f;
            scales[g] = s;
            for (int i = 0; i < size; i++)
                q[g * size + i] = (sbyte)Math.Clamp(MathF.Round(block[i] / s, MidpointRounding.ToEven), -limit, limit);
        }
        return new QuantizedWeights(q, scales, (int[])weights.Dims.Clone(), perChannel);
    }

    /// <summary>Bias in the accumulator's scale: round_half_even(b / (s_in · s_w[c])), saturated to int32.</summary>
    public static int[] QuantizeBias(ReadOnlySpan<float> bias, float inputScale, QuantizedWeights weights)
    {
        var r = new int[bias.Length];
        for (int c = 0; c < r.Length; c++)
        {
            double v = Math.Round(bias[c] / ((double)inputScale * weights.ScaleOf(c)), MidpointRounding.ToEven);
            r[c] = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }
        return r;
    }
}
