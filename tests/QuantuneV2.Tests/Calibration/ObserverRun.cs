using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tests.Calibration;

/// <summary>Feeds samples to an observer for all its passes, optionally split between peers as workers would.</summary>
internal static class ObserverRun
{
    public static (float Min, float Max) Range(RangeObserver observer, params float[][] samples) =>
        Split(observer, 1, samples);

    /// <summary>Sample i goes to peer i mod <paramref name="workers"/>, peers see their samples in reverse order.</summary>
    public static (float Min, float Max) Split(RangeObserver observer, int workers, params float[][] samples)
    {
        for (int pass = 0; pass < observer.Passes; pass++)
        {
            if (pass > 0) observer.NextPass();
            var peers = Enumerable.Range(0, workers).Select(_ => observer.CreatePeer()).ToArray();
            for (int i = samples.Length - 1; i >= 0; i--) peers[i % workers].Observe(i, samples[i]);
            foreach (var p in peers.Reverse()) observer.Merge(p);
        }
        return observer.Range;
    }

    /// <summary>Standard normal values from a seeded generator (Box–Muller).</summary>
    public static float[] Gaussian(int n, int seed)
    {
        var rng = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return values;
    }
}
