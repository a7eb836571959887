using System.Text;

namespace QuantuneV2.Zoo;

/// <summary>
/// The zoo's own random numbers: SplitMix64 for uniform bits and Marsaglia's polar method for
/// normals, with a logarithm written here. Only IEEE-exact operations (+, −, ×, ÷, √) are used, so
/// a seed gives the same bits on every .NET version and OS; System.Random and Math.Log promise
/// neither. Each tensor draws from its own stream, keyed by (seed, name), so adding or reordering
/// layers leaves the other layers' values unchanged.
/// </summary>
internal sealed class ZooRandom
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public ZooRandom(int seed, string stream)
    {
        // FNV-1a of the stream name: string.GetHashCode is randomized per process.
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(stream)) h = (h ^ b) * 1099511628211UL;
        _state = Mix(h ^ (ulong)(long)seed);
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014).</summary>
    public ulong NextBits()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextUniform() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (mean 0, variance 1).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextUniform() - 1;
            v = 2 * NextUniform() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Log(s) / s);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Fills <paramref name="values"/> with mean + std·N(0, 1).</summary>
    public void FillNormal(Span<float> values, double mean, double std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>
    /// Natural logarithm of a positive normal double (the polar method's s ≥ 2⁻¹⁰⁴): x = m·2^e with m in [√½, √2), then
    /// ln m = 2·atanh(t), t = (m − 1)/(m + 1), |t| &lt; 0.172, whose odd series reaches double
    /// precision in a dozen terms.
    /// </summary>
    internal static double Log(double x)
    {
        const double Ln2 = 0.69314718055994530942;
        const double Sqrt2 = 1.41421356237309504880;
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }
        double t = (m - 1) / (m + 1), t2 = t * t, term = t, sum = 0;
        for (int k = 1; k <= 27; k += 2)
        {
            sum += term / k;
            term *= t2;
        }
        return e * Ln2 + 2 * sum;
    }
}
