using System.Globalization;
using System.Text.Json;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune eval MODEL --data SPEC`: top-1/top-5 and throughput on a data set.</summary>
internal static class EvalCommand
{
    public static readonly CommandSpec Spec = new("eval", "Run a model over a labelled data set and report top-1/top-5 accuracy and throughput.", "MODEL --data SPEC",
        [new OptionSpec("data", "SPEC", "dataset spec (JSON, see docs/datasets.md)"), new OptionSpec("limit", "N", "evaluate only the first N samples"),
         new OptionSpec("threads", "N", "worker threads (default: all cores)"), new OptionSpec("json", null, "print exactly one JSON object on stdout")], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var spec = args.Value("data") ?? throw ParsedArgs.Usage("eval needs --data SPEC");
        var graph = OnnxModel.Load(args.Positionals[0]);
        var data = Dataset.Load(spec);
        int? limit = args.Has("limit") ? args.Int("limit", 0) : null;
        int? threads = args.Has("threads") ? args.Int("threads", 1) : null;
        var r = Evaluator.Run(graph, data, limit, threads, ConsoleProgress.ForTerminal());
        if (args.Has("json"))
        {
            var json = new Dictionary<string, object>
            {
                ["model"] = Path.GetFullPath(args.Positionals[0]),
                ["data"] = Path.GetFullPath(spec),
                ["count"] = r.Count,
                ["top1"] = r.Top1,
                ["top5"] = r.Top5,
                ["top1_correct"] = r.Top1Correct,
                ["top5_correct"] = r.Top5Correct,
                ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
                ["samples_per_second"] = Math.Round(r.SamplesPerSecond, 1),
                ["threads"] = r.Threads,
            };
            Console.WriteLine(JsonSerializer.Serialize(json));
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"top-1 {r.Top1:P2} ({r.Top1Correct}/{r.Count}), top-5 {r.Top5:P2} ({r.Top5Correct}/{r.Count})"));
            Console.WriteLine(string.Create(inv, $"{r.Count} samples in {r.Elapsed.TotalSeconds:F2} s: {r.SamplesPerSecond:F1} samples/s on {r.Threads} threads"));
        }
        return 0;
    }
}
