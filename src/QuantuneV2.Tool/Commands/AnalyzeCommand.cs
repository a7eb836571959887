using System.Globalization;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune analyze MODEL --calib SPEC`: the QuantuneV2 sensitivity analysis and ranking of every layer.</summary>
internal static class AnalyzeCommand
{
    public static readonly CommandSpec Spec = new("analyze",
        "Run the sensitivity analysis (fp32 and all-int8 inferences over the calibration data) and print each layer's local metrics, score and rank, and the output SQNR the noise model predicts as layers are kept fp32 in rank order (docs/method.md).",
        "MODEL --calib SPEC",
        [
            new OptionSpec("one-at-a-time", null, "also run the one-layer-at-a-time baseline (n + 1 inference sets) and compare rankings: Spearman correlation, and the score weights that agree with it best"),
            .. PlanArguments.Options,
        ], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var (result, _) = PlanArguments.Plan(args, PlanArguments.Read(args), analyze: true);
        var layers = result.Plan.Layers;
        PlanArguments.SaveReport(args, result.Plan);
        var baseline = args.Has("one-at-a-time") ? CompareWithOneAtATime(args, result) : null;
        if (args.Has("json"))
        {
            var json = new Dictionary<string, object>
            {
                ["model"] = Path.GetFullPath(args.Positionals[0]),
                ["calibration_samples"] = result.Plan.Calibration.Samples,
                ["analysis_seconds"] = Math.Round(result.AnalysisTime.TotalSeconds, 3),
                ["selection"] = result.Plan.Options.Selection,
                ["predicted_sqnr_db"] = result.Plan.PredictedSqnrDb ?? [],
                ["layers"] = layers.Select(l => new Dictionary<string, object>
                {
                    ["name"] = l.Name, ["op"] = l.Op, ["macs"] = l.Macs, ["rank"] = l.Rank!.Value,
                    ["weight_sqnr_db"] = l.Sensitivity!.WeightSqnrDb, ["input_sqnr_db"] = l.Sensitivity.InputSqnrDb,
                    ["output_sqnr_db"] = l.Sensitivity.OutputSqnrDb, ["sqnr_delta_db"] = l.Sensitivity.SqnrDeltaDb,
                    ["mse"] = l.Sensitivity.Mse, ["normalized_mse"] = l.Sensitivity.NormalizedMse, ["score"] = l.Sensitivity.Score,
                }).ToArray(),
            };
            if (PlanArguments.ValidationJson(result.Plan) is { } validation) json["validation"] = validation;
            if (baseline is not null)
                json["one_at_a_time"] = new Dictionary<string, object>
                {
                    ["seconds"] = Math.Round(baseline.Elapsed.TotalSeconds, 3),
                    ["output_sqnr_db"] = baseline.OutputSqnrDb,
                    ["spearman"] = baseline.Spearman,
                    ["grid"] = baseline.Grid.Select(g => new Dictionary<string, double>
                    {
                        ["weight_sqnr"] = g.Weights.WeightSqnr, ["output_sqnr"] = g.Weights.OutputSqnr, ["sqnr_delta"] = g.Weights.SqnrDelta, ["mse"] = g.Weights.Mse, ["spearman"] = g.Spearman,
                    }).ToArray(),
                };
            JsonOutput.Print(json);
            return 0;
        }
        var inv = CultureInfo.InvariantCulture;
        string Db(double v) => double.IsPositiveInfinity(v) ? "inf" : v.ToString("F2", inv);
        var rows = layers.OrderBy(l => l.Rank).Select(l => new[]
        {
            l.Rank!.Value.ToString(inv), l.Name, l.Op, l.Macs.ToString("N0", inv), Db(l.Sensitivity!.WeightSqnrDb), Db(l.Sensitivity.InputSqnrDb),
            Db(l.Sensitivity.OutputSqnrDb), Db(l.Sensitivity.SqnrDeltaDb), l.Sensitivity.Mse.ToString("E2", inv), l.Sensitivity.Score.ToString("F3", inv),
        }).ToList();
        Table.Print(["rank", "layer", "op", "MACs", "weight dB", "input dB", "output dB", "delta dB", "MSE", "score"], rows, rightAligned: [0, 3, 4, 5, 6, 7, 8, 9]);
        Console.WriteLine(string.Create(inv, $"{layers.Count} layers; analysis (fp32 and int8 inferences, noise projections) over {result.Plan.Calibration.Samples} samples in {result.AnalysisTime.TotalSeconds:F1} s"));
        if (result.Plan.PredictedSqnrDb is { Count: > 0 } curve)
            Console.WriteLine(string.Create(inv, $"predicted output SQNR ({result.Plan.Options.Selection} ranking), k = layers fp32: ") +
                string.Join(", ", new[] { 0, 1, 2, 3, 5, 10 }.Where(k => k < curve.Count).Select(k => string.Create(inv, $"k={k} {curve[k]:F1} dB"))));
        PlanArguments.PrintValidation(result.Plan);
        if (baseline is not null)
        {
            Console.WriteLine(string.Create(inv, $"one-at-a-time baseline: {layers.Count + 1} inference sets in {baseline.Elapsed.TotalSeconds:F1} s; Spearman correlation with its ranking: {baseline.Spearman:F3} ({result.Plan.Options.Score})"));
            foreach (var (w, rho) in baseline.Grid.Take(5))
                Console.WriteLine(string.Create(inv, $"  {rho:F3}  weight {w.WeightSqnr:F2}  output {w.OutputSqnr:F2}  delta {w.SqnrDelta:F2}  mse {w.Mse:F2}"));
        }
        return 0;
    }

    private sealed record BaselineComparison(IReadOnlyList<double> OutputSqnrDb, double Spearman, IReadOnlyList<(ScoreWeights Weights, double Spearman)> Grid, TimeSpan Elapsed);

    private static BaselineComparison CompareWithOneAtATime(ParsedArgs args, PlanResult result)
    {
        var layers = result.Plan.Layers;
        var (count, fill) = Planner.Samples(result.Fused, PlanArguments.Calibration(args), PlanArguments.Limit(args));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sqnr = OneAtATime.OutputSqnrDb(result.Fused, result.Plan, count, fill, PlanArguments.Threads(args) ?? Environment.ProcessorCount, ConsoleProgress.Create());
        var reference = OneAtATime.Rank(layers, sqnr).Select(l => l.Rank!.Value).ToList();
        var metrics = layers.Select(l => l.Sensitivity!.Metrics(l)).ToList();
        return new BaselineComparison(sqnr, RankCorrelation.Spearman([.. layers.Select(l => l.Rank!.Value)], reference), ScoreWeightFit.Grid(metrics, reference), clock.Elapsed);
    }
}
