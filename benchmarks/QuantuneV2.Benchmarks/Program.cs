using System.Diagnostics;
using BenchmarkDotNet.Running;
using QuantuneV2.Benchmarks;
using QuantuneV2.Kernels.Program;

// "quick [substring]": Stopwatch timing per workload (best of 7 runs of 200 ms), for iterating on kernels. It
// also prints GMAC/s over process CPU time, which stays meaningful when other jobs share the cores.
// Anything else goes to BenchmarkDotNet, e.g. --filter '*Conv2d*'.
if (args is ["profile", var programFile, var weightsFile, ..])
{
    // "profile PROGRAM WEIGHTS direct": 3×3 stride-1 layers without Winograd, for comparison.
    using (Int8Dispatch.Force(Int8Dispatch.Detected, winograd: args is not [.., "direct"]))
        ProgramProfile.Run(programFile, weightsFile);
    return;
}

if (args is ["quick", ..])
{
    var workloads = ConvLayers.All.Select(l => (l.Key, l.Value.MultiplyAccumulates, Create: (Func<Action>)(() => new ConvLayers.Instance(l.Value).Run)))
        .Concat(GemmShapes.All.Select(g => (g.Key, g.Value.MultiplyAccumulates, Create: (Func<Action>)(() => new GemmShapes.Instance(g.Value).Run))))
        .Concat(ConvLayers.All.SelectMany(l => Int8Dispatch.Supported.SelectMany(isa => (Int8Dispatch.Winograd(isa) ? new[] { false, true } : [false]).Select(winograd =>
            (Key: $"int8 {isa}{(winograd ? "+Winograd" : "")} {l.Key}", l.Value.MultiplyAccumulates, Create: (Func<Action>)(() => new QConvLayers.Instance(l.Value, isa, winograd).Run))))))
        .Append((Key: "int8 peak AvxVnni", Int8Peak.MultiplyAccumulates, Create: () => () => Int8Peak.Run()));
    var process = Process.GetCurrentProcess();
    foreach (var (name, macs, create) in workloads.Where(w => args.Length == 1 || w.Key.Contains(args[1])))
    {
        var run = create();
        run();
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int rep = 0; rep < 7; rep++)
        {
            int runs = 0;
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 200)
            {
                run();
                runs++;
            }

            bestWall = Math.Min(bestWall, sw.Elapsed.TotalSeconds / runs);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds / runs);
        }

        double gmacs = macs / 1e9;
        Console.WriteLine($"{name,-40} {bestWall * 1e3,8:F3} ms {gmacs / bestWall,7:F1} GMAC/s (CPU time: {gmacs / bestCpu,5:F1})");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Conv2dBenchmarks).Assembly).Run(args);
