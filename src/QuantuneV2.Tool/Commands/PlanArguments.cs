using QuantuneV2.Data;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Report;
using QuantuneV2.Core.Calibration;

namespace QuantuneV2.Tool.Commands;

/// <summary>The calibration and quantization options `quantize` and `analyze` share, and how they become <see cref="PlanOptions"/>.</summary>
internal static class PlanArguments
{
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new OptionSpec("calib", "SPEC", "calibration data: a data set spec (docs/datasets.md) or a folder of images (with --preprocess); without it, synthetic inputs (with a warning)"),
        new OptionSpec("preprocess", "FILE", "with --calib FOLDER: a JSON file holding the images' preprocess object (docs/datasets.md; default: the defaults there)"),
        new OptionSpec("method", "NAME", $"calibration method: {string.Join(", ", PlanOptions.Methods)} (default minmax)"),
        new OptionSpec("percentile", "P", "percentile kept by --method percentile (default 99.999)"),
        new OptionSpec("per-tensor", null, "one weight scale per tensor instead of per output channel"),
        new OptionSpec("activations", "TYPE", "activation encoding: uint8 (asymmetric, default) or int8 (symmetric)"),
        new OptionSpec("reduce-range", null, "7-bit weights (±63)"),
        new OptionSpec("exclude", "NAME,...", "layers (node names after fusion, see the plan) that stay fp32"),
        new OptionSpec("exclude-op", "TYPE,...", "op types that stay fp32 (e.g. Gemm, Conv)"),
        new OptionSpec("selection", "NAME", "how QuantuneV2 orders the fp32 candidates: boundary-aware (default: by the predicted output noise, counting the rounding at fp32 islands' boundaries) or score (by the sensitivity score alone, as in the paper)"),
        new OptionSpec("val", "SPEC", "labelled validation data set: the fewest fp32 layers for --accuracy-target, or else the measured top-1/agreement/SQNR for k = 0, 1, 2, 4, … n fp32 layers (in the plan and the report)"),
        new OptionSpec("report", "REPORT.html", "write a self-contained HTML report (per-layer metrics, ranking, decisions)"),
        new OptionSpec("limit", "N", "calibrate (and analyse) on the first N samples only"),
        new OptionSpec("threads", "N", "worker threads (default: all cores)"),
        new OptionSpec("json", null, "print exactly one JSON object on stdout"),
    ];

    public static PlanOptions Read(ParsedArgs args) => new PlanOptions
    {
        Method = args.Value("method") ?? "minmax",
        Percentile = args.Has("percentile") ? args.Double("percentile") : PercentileObserver.DefaultPercentile,
        PerChannel = !args.Has("per-tensor"),
        Activations = args.Value("activations") ?? "uint8",
        ReduceRange = args.Has("reduce-range"),
        Fp32Layers = args.Value("fp32-layers") ?? "none",
        Baseline = args.Value("baseline") ?? "quantunev2",
        Selection = args.Value("selection") ?? "boundary-aware",
        Seed = args.Int("seed", 0, min: 0),
        BlockMode = args.Has("block-mode"),
        AccuracyTarget = args.Has("accuracy-target") ? args.Double("accuracy-target") : null,
        Exclude = args.List("exclude"),
        ExcludeOpTypes = args.List("exclude-op"),
    }.Validate();

    /// <summary>
    /// Runs the planner as the arguments say (with the analysis when a report is asked for), printing its
    /// warnings on stderr. Also gives every file and folder the run read (for --deps).
    /// </summary>
    public static (PlanResult Result, string[] Inputs) Plan(ParsedArgs args, PlanOptions options, bool analyze)
    {
        analyze |= args.Has("report");
        var validation = args.Value("val") is { } val ? Dataset.Load(val) : null;
        var calibration = Calibration(args);
        var result = Planner.Run(args.Positionals[0], calibration, options, Limit(args), Threads(args), ConsoleProgress.Create(), analyze, validation);
        foreach (var w in result.Warnings) Console.Error.WriteLine(w);
        string[] inputs = [Path.GetFullPath(args.Positionals[0]), .. calibration?.InputPaths ?? [], .. validation?.InputPaths ?? []];
        return (result, inputs);
    }

    /// <summary>The measured curve of a plan made with --val, for the --json outputs; null without one.</summary>
    public static object? ValidationJson(QuantizationPlan plan) => plan.Validation is not { } v ? null : new Dictionary<string, object>
    {
        ["data"] = v.Data,
        ["samples"] = v.Samples,
        ["points"] = v.Points.Select(p => new Dictionary<string, object> { ["fp32_layers"] = p.Fp32Layers, ["top1"] = p.Top1, ["agreement"] = p.Agreement, ["sqnr_db"] = p.SqnrDb }).ToArray(),
    };

    /// <summary>Prints the measured curve of a plan made with --val, one line per k.</summary>
    public static void PrintValidation(QuantizationPlan plan)
    {
        if (plan.Validation is not { } v) return;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine($"measured on {v.Data} ({v.Samples} samples), first k ranked fp32:");
        foreach (var p in v.Points)
            Console.WriteLine(string.Create(inv, $"  k={p.Fp32Layers,-3} top-1 {p.Top1:F4}  agreement {p.Agreement:F4}  SQNR {p.SqnrDb:F2} dB"));
    }

    public static Dataset? Calibration(ParsedArgs args)
    {
        var calib = args.Value("calib");
        var preprocess = args.Value("preprocess");
        if (calib is not null && Directory.Exists(calib)) return Dataset.FromImageFolder(calib, preprocess);
        if (preprocess is not null) throw ParsedArgs.Usage("--preprocess applies to --calib FOLDER (a folder of images); a data set spec has its own preprocess object");
        return calib is null ? null : Dataset.Load(calib);
    }

    public static int? Limit(ParsedArgs args) => args.Has("limit") ? args.Int("limit", 0) : null;

    public static int? Threads(ParsedArgs args) => args.Has("threads") ? args.Int("threads", 1) : null;

    /// <summary>Writes the report when --report was given.</summary>
    public static void SaveReport(ParsedArgs args, QuantizationPlan plan)
    {
        if (args.Value("report") is { } path) PlanReport.Save(plan, path);
    }
}
