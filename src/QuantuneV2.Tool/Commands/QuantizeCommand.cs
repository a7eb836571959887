using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Data;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune quantize MODEL --calib SPEC -o PLAN.json`: calibrates, decides each layer's precision and writes the plan.</summary>
internal static class QuantizeCommand
{
    public static readonly CommandSpec Spec = new("quantize",
        "Calibrate a model on a data set, decide which layers run int8, and write the quantization plan (docs/plan.md).",
        "MODEL --calib SPEC -o PLAN.json",
        [
            new OptionSpec("calib", "SPEC", "calibration data set spec (docs/datasets.md); without it, synthetic inputs (with a warning)"),
            new OptionSpec("output", "PLAN.json", "where to write the plan", 'o'),
            new OptionSpec("qdq", "OUT.onnx", "also write the quantized model as a standard ONNX QDQ model (for ONNX Runtime and other runtimes)"),
            new OptionSpec("method", "NAME", $"calibration method: {string.Join(", ", PlanOptions.Methods)} (default minmax)"),
            new OptionSpec("percentile", "P", "percentile kept by --method percentile (default 99.999)"),
            new OptionSpec("per-tensor", null, "one weight scale per tensor instead of per output channel"),
            new OptionSpec("activations", "TYPE", "activation encoding: uint8 (asymmetric, default) or int8 (symmetric)"),
            new OptionSpec("reduce-range", null, "7-bit weights (±63)"),
            new OptionSpec("fp32-layers", "CHOICE", "layers the planner keeps fp32 on its own: none (default)"),
            new OptionSpec("exclude", "NAME,...", "layers (node names after fusion, see the plan) that stay fp32"),
            new OptionSpec("exclude-op", "TYPE,...", "op types that stay fp32 (e.g. Gemm, Conv)"),
            new OptionSpec("limit", "N", "calibrate on the first N samples only"),
            new OptionSpec("threads", "N", "worker threads (default: all cores)"),
            new OptionSpec("json", null, "print exactly one JSON object on stdout"),
        ], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var output = args.Value("output") ?? throw ParsedArgs.Usage("quantize needs -o PLAN.json");
        var modelPath = args.Positionals[0];
        var options = new PlanOptions
        {
            Method = args.Value("method") ?? "minmax",
            Percentile = args.Has("percentile") ? args.Double("percentile") : new PlanOptions().Percentile,
            PerChannel = !args.Has("per-tensor"),
            Activations = args.Value("activations") ?? "uint8",
            ReduceRange = args.Has("reduce-range"),
            Fp32Layers = args.Value("fp32-layers") ?? "none",
            Exclude = args.List("exclude"),
            ExcludeOpTypes = args.List("exclude-op"),
        }.Validate();
        var clock = Stopwatch.StartNew();
        var calibration = args.Value("calib") is { } spec ? Dataset.Load(spec) : null;
        int? limit = args.Has("limit") ? args.Int("limit", 0) : null;
        int? threads = args.Has("threads") ? args.Int("threads", 1) : null;
        var result = Planner.Run(modelPath, calibration, options, limit, threads, ConsoleProgress.Create());
        foreach (var w in result.Warnings) Console.Error.WriteLine(w);
        // Everything that can fail runs before the first file is written.
        var qdq = args.Value("qdq");
        var qdqGraph = qdq is null ? null : QdqExport.ToQdq(result.Quantized);
        PlanFile.Save(result.Plan, output);
        if (qdq is not null) OnnxModel.Save(qdqGraph!, qdq);
        var plan = result.Plan;
        var s = plan.Summary;
        double perSample = plan.Calibration.Samples == 0 ? 0 : result.CalibrationTime.TotalSeconds / plan.Calibration.Samples;
        if (args.Has("json"))
        {
            var json = new Dictionary<string, object>
            {
                ["plan"] = Path.GetFullPath(output),
                ["model"] = Path.GetFullPath(modelPath),
                ["layers"] = s.Layers,
                ["int8_layers"] = s.Int8Layers,
                ["fp32_layers"] = plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => l.Name).ToArray(),
                ["int8_mac_fraction"] = s.Macs == 0 ? 0 : Math.Round((double)s.Int8Macs / s.Macs, 6),
                ["boundaries"] = s.Boundaries,
                ["calibration_samples"] = plan.Calibration.Samples,
                ["calibration_seconds"] = Math.Round(result.CalibrationTime.TotalSeconds, 3),
                ["calibration_seconds_per_sample"] = Math.Round(perSample, 6),
                ["synthetic_calibration"] = plan.Calibration.Synthetic,
                ["warnings"] = result.Warnings.Select(w => w.ToString()).ToArray(),
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            if (qdq is not null) json["qdq"] = Path.GetFullPath(qdq);
            Console.WriteLine(JsonSerializer.Serialize(json));
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"{s.Int8Layers} of {s.Layers} layers int8 ({(s.Macs == 0 ? 0 : (double)s.Int8Macs / s.Macs):P1} of the MACs), {s.Fp32Layers} fp32, {s.Boundaries} int8/fp32 boundaries"));
            Console.WriteLine(string.Create(inv, $"calibrated {plan.Tensors.Count} tensors on {plan.Calibration.Samples} samples ({plan.Options.Method}) in {result.CalibrationTime.TotalSeconds:F1} s ({perSample * 1000:F1} ms/sample)"));
            Console.WriteLine($"wrote {output}{(qdq is null ? "" : $" and {qdq}")}");
        }
        return 0;
    }
}
