using System.Diagnostics;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>
/// "loop MODEL [ROUNDS] [FILTER]": each variant of one model (ORT fp32, ORT int8, generated all-int8 and mixed) timed
/// call by call with a Stopwatch, ROUNDS calls after 20 of warm-up, min / median / mean per variant. The variants take
/// turns call by call (caches cold for each), unless FILTER keeps one: then it runs alone, hot. A quick look between
/// BenchmarkDotNet runs; the claims in docs/benchmarks.md come from BenchmarkDotNet.
/// </summary>
internal static class HotLoop
{
    public static void Run(string[] args)
    {
        string model = args[1];
        int rounds = args.Length > 2 ? int.Parse(args[2]) : 200;
        // VGG16 is built all-int8 only (Vgg16Benchmarks).
        (string Name, BenchmarkModels.Infer Infer)[] generated;
        int outputs;
        if (model == "vgg16") (generated, outputs) = ([("generated all-int8", Generated.vgg16_int8.Infer)], Generated.vgg16_int8.OutputLength);
        else if (BenchmarkModels.Classes.TryGetValue(model, out var c)) (generated, outputs) = ([("generated all-int8", c.Int8), ("generated mixed", c.Mixed)], c.Outputs);
        else
        {
            Console.Error.WriteLine($"unknown model '{model}': one of {string.Join(", ", BenchmarkModels.Classes.Keys)}, vgg16");
            Environment.ExitCode = 2;
            return;
        }
        var image = BenchmarkModels.Image();
        using var ortFp32 = BenchmarkModels.Ort(model, int8: false, threads: 1);
        using var ortInt8 = BenchmarkModels.Ort(model, int8: true, threads: 1);
        var input = BenchmarkModels.OrtInput(ortFp32, image);
        var output = new float[outputs];
        var variants = new (string Name, Action Run)[]
        {
            ("ORT fp32", () => BenchmarkModels.Run(ortFp32, input)),
            ("ORT int8", () => BenchmarkModels.Run(ortInt8, input)),
        }.Concat(generated.Select(g => (g.Name, Run: (Action)(() => g.Infer(image, output))))).ToArray();
        if (args.Length > 3) variants = [.. variants.Where(v => v.Name.Contains(args[3]))];
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < 20 + rounds; round++)
            for (int i = 0; i < variants.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                variants[i].Run();
                if (round >= 20) times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        for (int i = 0; i < variants.Length; i++)
        {
            var sorted = times[i].Order().ToArray();
            Console.WriteLine($"{variants[i].Name,-20} min {sorted[0],7:F3}  median {sorted[sorted.Length / 2],7:F3}  mean {sorted.Average(),7:F3} ms");
        }
    }
}
