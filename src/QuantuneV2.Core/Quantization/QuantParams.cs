namespace QuantuneV2.Core.Quantization;

/// <summary>
/// Per-tensor affine quantization of an activation: real = Scale · (q − ZeroPoint), q in the type's range.
/// </summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint, QuantType Type)
{
    /// <summary>
    /// Parameters covering [min, max] (widened to contain 0, so that zero padding and ReLU outputs are exact).
    /// uint8: scale = (max − min)/255, zero point = round_half_even(−min/scale) clamped to 0..255.
    /// int8: symmetric, scale = max(|min|, |max|)/127, zero point 0 (−128 is never produced by rounding).
    /// A degenerate range (all zeros) gets scale 1 so that every formula stays finite.
    /// </summary>
    public static QuantParams FromRange(float min, float max, QuantType type)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || min > max) throw new ArgumentException($"invalid range [{min}, {max}]");
        double lo = Math.Min(min, 0f), hi = Math.Max(max, 0f);
        if (type == QuantType.Int8)
        {
            double bound = Math.Max(-lo, hi);
            return new QuantParams(bound > 0 ? (float)(bound / 127) : 1f, 0, type);
        }
        if (hi - lo <= 0) return new QuantParams(1f, 0, type);
        float scale = (float)((hi - lo) / 255);
        int zeroPoint = (int)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, 255);
        return new QuantParams(scale, zeroPoint, type);
    }

    /// <summary>q = saturate(round_half_even(x / Scale) + ZeroPoint): the same formula as ONNX QuantizeLinear.</summary>
    public int Quantize(float x)
    {
        float r = MathF.Round(x / Scale, MidpointRounding.ToEven);
        if (float.IsNaN(r)) return Math.Clamp(ZeroPoint, Type.Min(), Type.Max());
        return (int)Math.Clamp(r + ZeroPoint, Type.Min(), Type.Max());
    }

    /// <summary>x = Scale · (q − ZeroPoint).</summary>
    public float Dequantize(int q) => Scale * (q - ZeroPoint);
}
