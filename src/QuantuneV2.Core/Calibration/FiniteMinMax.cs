using System.Numerics;

namespace QuantuneV2.Core.Calibration;

/// <summary>Min and max of the finite values of a span, and how many values were NaN or ±∞.</summary>
internal readonly record struct FiniteMinMax(float Min, float Max, long NonFinite)
{
    /// <summary>True when no finite value was seen (then Min is +∞ and Max is −∞).</summary>
    public bool IsEmpty => Min > Max;

    public static FiniteMinMax Of(ReadOnlySpan<float> values)
    {
        var min = new Vector<float>(float.PositiveInfinity);
        var max = new Vector<float>(float.NegativeInfinity);
        var nonFinite = Vector<int>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var v = new Vector<float>(values[i..]);
            // v − v is 0 for finite lanes and NaN for NaN/±∞, so one compare masks both.
            var finite = Vector.Equals(v - v, Vector<float>.Zero);
            min = Vector.Min(min, Vector.ConditionalSelect(finite, v, new Vector<float>(float.PositiveInfinity)));
            max = Vector.Max(max, Vector.ConditionalSelect(finite, v, new Vector<float>(float.NegativeInfinity)));
            nonFinite += finite + Vector<int>.One;
        }
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        for (int k = 0; k < Vector<float>.Count; k++)
        {
            lo = MathF.Min(lo, min[k]);
            hi = MathF.Max(hi, max[k]);
        }
        long bad = Vector.Sum(nonFinite);
        for (; i < values.Length; i++)
        {
            float x = values[i];
            if (!float.IsFinite(x)) { bad++; continue; }
            lo = MathF.Min(lo, x);
            hi = MathF.Max(hi, x);
        }
        return new FiniteMinMax(lo, hi, bad);
    }

    public FiniteMinMax Union(FiniteMinMax other) =>
        new(MathF.Min(Min, other.Min), MathF.Max(Max, other.Max), NonFinite + other.NonFinite);

    public static FiniteMinMax Empty => new(float.PositiveInfinity, float.NegativeInfinity, 0);
}
