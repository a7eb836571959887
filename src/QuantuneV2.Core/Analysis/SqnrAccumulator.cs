namespace QuantuneV2.Core.Analysis;

/// <summary>
/// Signal and noise energies of an approximation ŷ of a signal y, summed in double so that partial
/// sums (per sample, per thread) add up in any order to the same SQNR up to rounding.
/// </summary>
public readonly record struct SqnrAccumulator(double Signal, double Noise)
{
    public static SqnrAccumulator Of(ReadOnlySpan<float> signal, ReadOnlySpan<float> approximation)
    {
        if (signal.Length != approximation.Length) throw new ArgumentException($"lengths differ: {signal.Length} and {approximation.Length}");
        double s = 0, n = 0;
        for (int i = 0; i < signal.Length; i++)
        {
            double d = (double)signal[i] - approximation[i];
            s += (double)signal[i] * signal[i];
            n += d * d;
        }
        return new SqnrAccumulator(s, n);
    }

    public static SqnrAccumulator operator +(SqnrAccumulator a, SqnrAccumulator b) => new(a.Signal + b.Signal, a.Noise + b.Noise);

    /// <summary>The sum in enumeration order (so a fixed order gives the same bits whatever produced the parts).</summary>
    public static SqnrAccumulator Sum(IEnumerable<SqnrAccumulator> parts) => parts.Aggregate(new SqnrAccumulator(), (a, b) => a + b);

    /// <summary>10·log10(signal / noise): +∞ without noise, −∞ for a zero signal with noise, NaN when both are zero.</summary>
    public double Decibels => Noise == 0 ? (Signal == 0 ? double.NaN : double.PositiveInfinity) : 10 * Math.Log10(Signal / Noise);
}
