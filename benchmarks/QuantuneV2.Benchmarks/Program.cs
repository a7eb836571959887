using System.Diagnostics;
using BenchmarkDotNet.Running;
using QuantuneV2.Benchmarks;

// "quick": a few seconds of Stopwatch timing per layer (best of several runs), for iterating on kernels.
// Anything else goes to BenchmarkDotNet, e.g. --filter '*Conv2d*'.
if (args is ["quick", ..])
{
    foreach (var (name, geometry) in ConvLayers.All)
    {
        var layer = new ConvLayers.Instance(geometry);
        layer.Run();
        double best = double.MaxValue;
        for (int rep = 0; rep < 7; rep++)
        {
            int runs = 0;
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 200)
            {
                layer.Run();
                runs++;
            }

            best = Math.Min(best, sw.Elapsed.TotalSeconds / runs);
        }

        Console.WriteLine($"{name,-22} {best * 1e3,8:F3} ms {geometry.MultiplyAccumulates / best / 1e9,7:F1} GMAC/s");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Conv2dBenchmarks).Assembly).Run(args);
