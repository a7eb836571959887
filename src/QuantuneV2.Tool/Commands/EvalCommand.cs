using System.Globalization;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune eval MODEL --data SPEC [--plan PLAN.json]`: accuracy and throughput, of the fp32 model or of a plan's mixed model.</summary>
internal static class EvalCommand
{
    public static readonly CommandSpec Spec = new("eval",
        "Run a model over a labelled data set and report top-1/top-5 accuracy and throughput; with --plan, the quantized model on the integer reference executor next to fp32 (agreement, output SQNR).",
        "MODEL --data SPEC [--plan PLAN.json]",
        [new OptionSpec("data", "SPEC", "dataset spec (JSON, see docs/datasets.md)"),
         new OptionSpec("plan", "PLAN.json", "evaluate the model quantized as this plan says (from quantune quantize)"),
         new OptionSpec("limit", "N", "evaluate only the first N samples"),
         new OptionSpec("threads", "N", "worker threads (default: all cores)"), new OptionSpec("json", null, "print exactly one JSON object on stdout")], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var spec = args.Value("data") ?? throw ParsedArgs.Usage("eval needs --data SPEC");
        var modelPath = args.Positionals[0];
        var graph = OnnxModel.Load(modelPath);
        var data = Dataset.Load(spec);
        int? limit = args.Has("limit") ? args.Int("limit", 0) : null;
        int? threads = args.Has("threads") ? args.Int("threads", 1) : null;
        var progress = ConsoleProgress.Create();
        ComparisonResult? comparison = null;
        EvaluationResult r;
        if (args.Value("plan") is { } planPath)
        {
            var quantized = PlanApplication.Apply(modelPath, PlanFile.Load(planPath), planPath);
            comparison = Evaluator.Compare(graph, quantized, data, limit, threads, progress);
            r = comparison.Candidate;
        }
        else r = Evaluator.Run(graph, data, limit, threads, progress);

        var inv = CultureInfo.InvariantCulture;
        if (args.Has("json"))
        {
            var json = new Dictionary<string, object>
            {
                ["model"] = Path.GetFullPath(modelPath),
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
            if (comparison is not null)
            {
                json["plan"] = Path.GetFullPath(args.Value("plan")!);
                json["agreement"] = comparison.Agreement;
                json["sqnr_db"] = Math.Round(comparison.SqnrDb, 3);
                json["fp32_top1"] = comparison.Reference.Top1;
                json["fp32_top5"] = comparison.Reference.Top5;
                json["fp32_samples_per_second"] = Math.Round(comparison.Reference.SamplesPerSecond, 1);
            }
            JsonOutput.Print(json);
            return 0;
        }
        if (comparison is not null)
            Console.WriteLine(string.Create(inv, $"fp32:      top-1 {comparison.Reference.Top1:P2}, top-5 {comparison.Reference.Top5:P2}"));
        Console.WriteLine(string.Create(inv, $"{(comparison is null ? "" : "quantized: ")}top-1 {r.Top1:P2} ({r.Top1Correct}/{r.Count}), top-5 {r.Top5:P2} ({r.Top5Correct}/{r.Count})"));
        if (comparison is not null)
            Console.WriteLine(string.Create(inv, $"agreement with fp32 {comparison.Agreement:P2}, output SQNR {comparison.SqnrDb:F2} dB"));
        Console.WriteLine(string.Create(inv, $"{r.Count} samples in {r.Elapsed.TotalSeconds:F2} s: {r.SamplesPerSecond:F1} samples/s on {r.Threads} threads"));
        return 0;
    }
}
