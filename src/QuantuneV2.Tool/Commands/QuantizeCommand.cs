using System.Diagnostics;
using System.Globalization;
using QuantuneV2.Core.IO;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune quantize MODEL --calib SPEC -o PLAN.json`: calibrates, decides each layer's precision and writes the plan.</summary>
internal static class QuantizeCommand
{
    public static readonly CommandSpec Spec = new("quantize",
        "Calibrate a model on a data set, decide which layers run int8, and write the quantization plan (docs/plan.md).",
        "MODEL --calib SPEC -o PLAN.json",
        [
            new OptionSpec("output", "PLAN.json", "where to write the plan", 'o'),
            new OptionSpec("qdq", "OUT.onnx", "also write the quantized model as a standard ONNX QDQ model (for ONNX Runtime and other runtimes)"),
            new OptionSpec("weights", "OUT.bin", "also write the quantized model's weights as one binary file (what the build embeds; docs/msbuild.md)"),
            new OptionSpec("program", "OUT.txt", "also write the kernel program the source generator turns into C# (docs/generator.md)"),
            new OptionSpec("arch", "ARCH", "whose kernels --weights packs the convolutions for: x64, arm64 or any (default any: both)"),
            new OptionSpec("deps", "FILE", "also write every file and folder the run read (model, data set specs, data), one absolute path per line: what a build watches"),
            new OptionSpec("fp32-layers", "CHOICE", $"layers kept fp32, the most sensitive first: {Fp32LayerChoice.Help} (default none)"),
            new OptionSpec("accuracy-target", "T", "instead of --fp32-layers: the fewest fp32 layers (in rank order) whose top-1 on --val reaches T (0..1); binary search, O(log n) evaluations"),
            new OptionSpec("baseline", "NAME", $"rank layers by a baseline instead of the sensitivity score: {string.Join(", ", PlanOptions.Baselines.Skip(1))}"),
            new OptionSpec("seed", "N", "seed of --baseline random (default 0)"),
            new OptionSpec("block-mode", null, "keep whole blocks (residual, fire, inverted-residual) fp32 instead of single layers; K and P% then count blocks"),
            .. PlanArguments.Options,
        ], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var output = args.Value("output") ?? throw ParsedArgs.Usage("quantize needs -o PLAN.json");
        var modelPath = args.Positionals[0];
        var clock = Stopwatch.StartNew();
        var (result, inputs) = PlanArguments.Plan(args, PlanArguments.Read(args), analyze: false);
        // Everything that can fail runs before the first file is written.
        var qdq = args.Value("qdq");
        var qdqGraph = qdq is null ? null : QdqExport.ToQdq(result.Quantized);
        var architectures = Architectures(args.Value("arch"));
        var programFile = args.Has("program") || args.Has("weights") ? ProgramFile.Create(result.Quantized, result.Plan, modelPath, architectures) : null;
        if (qdq is not null) OnnxModel.Save(qdqGraph!, qdq);
        if (args.Value("weights") is { } weights) programFile!.SaveWeights(weights);
        if (args.Value("program") is { } program) programFile!.SaveText(program);
        PlanArguments.SaveReport(args, result.Plan);
        if (args.Value("deps") is { } deps)
            AtomicFile.Write(deps, s => s.Write(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", inputs.Distinct()) + "\n")));
        // The plan last: a build takes it as the sign that every artefact of the run is there.
        PlanFile.Save(result.Plan, output);
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
                ["int8_mac_fraction"] = Math.Round(s.Int8MacFraction, 6),
                ["boundaries"] = s.Boundaries,
                ["boundary_elements"] = s.BoundaryElements,
                ["calibration_samples"] = plan.Calibration.Samples,
                ["calibration_seconds"] = Math.Round(result.CalibrationTime.TotalSeconds, 3),
                ["calibration_seconds_per_sample"] = Math.Round(perSample, 6),
                ["synthetic_calibration"] = plan.Calibration.Synthetic,
                ["analysis_seconds"] = Math.Round(result.AnalysisTime.TotalSeconds, 3),
                ["warnings"] = result.Warnings.Select(w => w.ToString()).ToArray(),
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            if (s.PredictedSqnrDb is { } predicted) json["predicted_sqnr_db"] = Math.Round(predicted, 3);
            if (PlanArguments.ValidationJson(result.Plan) is { } validation) json["validation"] = validation;
            if (qdq is not null) json["qdq"] = Path.GetFullPath(qdq);
            if (args.Value("weights") is { } weightsPath) json["weights"] = Path.GetFullPath(weightsPath);
            if (args.Value("report") is { } report) json["report"] = Path.GetFullPath(report);
            if (plan.Search is { } search)
                json["search"] = new Dictionary<string, object>
                {
                    ["target"] = search.Target, ["reached"] = search.Reached, ["fp32_layers"] = search.Fp32Layers,
                    ["steps"] = search.Steps.Select(t => new Dictionary<string, object> { ["fp32_layers"] = t.Fp32Layers, ["top1"] = t.Top1 }).ToArray(),
                };
            JsonOutput.Print(json);
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"{s.Int8Layers} of {s.Layers} layers int8 ({s.Int8MacFraction:P1} of the MACs), {s.Fp32Layers} fp32, {s.Boundaries} int8/fp32 boundaries ({s.BoundaryElements:N0} elements converted per sample){(s.PredictedSqnrDb is { } db ? $", predicted output SQNR {db:F1} dB" : "")}"));
            if (plan.Search is { } search)
                Console.WriteLine(string.Create(inv, $"accuracy target {search.Target:0.####} on {search.Data}: {(search.Reached ? "reached" : "NOT reached")} with {search.Fp32Layers} fp32 layers ({string.Join(", ", search.Steps.Select(t => $"k={t.Fp32Layers}: {t.Top1:0.####}"))})"));
            Console.WriteLine(string.Create(inv, $"calibrated {plan.Tensors.Count} tensors on {plan.Calibration.Samples} samples ({plan.Options.Method}) in {result.CalibrationTime.TotalSeconds:F1} s ({perSample * 1000:F1} ms/sample)"));
            PlanArguments.PrintValidation(plan);
            Console.WriteLine($"wrote {output}{(qdq is null ? "" : $" and {qdq}")}");
        }
        return 0;
    }

    private static QConv2d.Architectures Architectures(string? arch) => arch switch
    {
        null or "any" => QConv2d.Architectures.Both,
        "x64" => QConv2d.Architectures.X64,
        "arm64" => QConv2d.Architectures.Arm64,
        _ => throw ParsedArgs.Usage($"--arch {arch}: expected x64, arm64 or any"),
    };
}
