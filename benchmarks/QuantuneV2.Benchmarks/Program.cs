using System.Diagnostics;
using BenchmarkDotNet.Running;
using QuantuneV2.Benchmarks;

// "quick [substring]": Stopwatch timing per layer (best of 7 runs of 200 ms), for iterating on kernels. It also prints
// GMAC/s over process CPU time, which stays meaningful when other jobs share the cores.
// Anything else goes to BenchmarkDotNet, e.g. --filter '*Conv2d*'.
if (args is ["quick", ..])
{
    var process = Process.GetCurrentProcess();
    foreach (var (name, geometry) in ConvLayers.All.Where(l => args.Length == 1 || l.Key.Contains(args[1])))
    {
        var layer = new ConvLayers.Instance(geometry);
        layer.Run();
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int rep = 0; rep < 7; rep++)
        {
            int runs = 0;
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 200)
            {
                layer.Run();
                runs++;
            }

            bestWall = Math.Min(bestWall, sw.Elapsed.TotalSeconds / runs);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds / runs);
        }

        double macs = geometry.MultiplyAccumulates / 1e9;
        Console.WriteLine($"{name,-22} {bestWall * 1e3,8:F3} ms {macs / bestWall,7:F1} GMAC/s (CPU time: {macs / bestCpu,5:F1})");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Conv2dBenchmarks).Assembly).Run(args);
