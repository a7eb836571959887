namespace QuantuneV2.Core.Quantization;

/// <summary>
/// The one definition of requantization (docs/numerics.md), used by the integer reference executor and
/// matched bit for bit by every kernel:
///   y = saturate(round_half_even(float32(acc) × M) + zp_y),   M = float32(s_x · s_w / s_y),
/// where float32(acc) rounds the int32 accumulator to nearest-even, × is one IEEE-754 single
/// multiplication (no fused multiply-add), and M is computed once, in double, then rounded to float.
/// </summary>
public static class Requantizer
{
    public static float Multiplier(float inputScale, float weightScale, float outputScale) =>
        (float)((double)inputScale * weightScale / outputScale);

    public static int Apply(int accumulator, float multiplier, int zeroPoint, QuantType type)
    {
        float scaled = (float)accumulator * multiplier;
        float rounded = MathF.Round(scaled, MidpointRounding.ToEven);
        // Saturate in float first: the rounded value may exceed int32.
        return (int)Math.Clamp(rounded + zeroPoint, type.Min(), type.Max());
    }
}
