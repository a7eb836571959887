using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantuneV2.Planning;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune analyze MODEL --calib SPEC`: the QuantuneV2 sensitivity analysis and ranking of every layer.</summary>
internal static class AnalyzeCommand
{
    public static readonly CommandSpec Spec = new("analyze",
        "Run the sensitivity analysis (fp32 and all-int8 inferences over the calibration data) and print each layer's local metrics, score and rank (docs/method.md).",
        "MODEL --calib SPEC", PlanArguments.Options, 1, Run);

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static int Run(ParsedArgs args)
    {
        var result = PlanArguments.Plan(args, PlanArguments.Read(args), analyze: true);
        var layers = result.Plan.Layers;
        PlanArguments.SaveReport(args, result.Plan);
        if (args.Has("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = Path.GetFullPath(args.Positionals[0]),
                ["calibration_samples"] = result.Plan.Calibration.Samples,
                ["analysis_seconds"] = Math.Round(result.AnalysisTime.TotalSeconds, 3),
                ["layers"] = layers.Select(l => new Dictionary<string, object>
                {
                    ["name"] = l.Name, ["op"] = l.Op, ["macs"] = l.Macs, ["rank"] = l.Rank!.Value,
                    ["weight_sqnr_db"] = l.Sensitivity!.WeightSqnrDb, ["input_sqnr_db"] = l.Sensitivity.InputSqnrDb,
                    ["output_sqnr_db"] = l.Sensitivity.OutputSqnrDb, ["sqnr_delta_db"] = l.Sensitivity.SqnrDeltaDb,
                    ["mse"] = l.Sensitivity.Mse, ["normalized_mse"] = l.Sensitivity.NormalizedMse, ["score"] = l.Sensitivity.Score,
                }).ToArray(),
            }, Json));
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
        Console.WriteLine(string.Create(inv, $"{layers.Count} layers; two inferences over {result.Plan.Calibration.Samples} samples in {result.AnalysisTime.TotalSeconds:F1} s"));
        return 0;
    }
}
