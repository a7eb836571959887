using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace QuantuneV2.Tasks;

/// <summary>
/// Quantizes one model by running `quantune quantize` out of process (so MSBuild nodes never load or lock
/// our assemblies): writes the plan, the weights and optionally the report, then logs a one-line summary.
/// The tool's QV-coded warnings and errors are in the canonical compiler format and reach the build log and
/// the IDE's error list as they are; its progress lines show at detailed verbosity.
/// </summary>
public sealed class QuantizeModel : ToolTask
{
    private readonly List<string> _stdout = [];

    /// <summary>The quantune tool's main assembly (quantune.dll), run with the current dotnet host.</summary>
    [Required] public string ToolAssembly { get; set; } = "";
    [Required] public string Model { get; set; } = "";
    [Required] public string PlanPath { get; set; } = "";
    [Required] public string WeightsPath { get; set; } = "";
    /// <summary>The kernel program the source generator reads (docs/generator.md).</summary>
    public string ProgramPath { get; set; } = "";
    /// <summary>Where the tool lists the files it read (see <see cref="MarkChangedInputs"/>).</summary>
    public string DepsPath { get; set; } = "";
    /// <summary>The generated class, for messages.</summary>
    public string ClassName { get; set; } = "";
    public string ReportPath { get; set; } = "";
    /// <summary>A dataset spec (JSON) or a folder of images; empty: synthetic calibration (the tool warns).</summary>
    public string Calibration { get; set; } = "";
    /// <summary>With a folder of images as <see cref="Calibration"/>: a JSON file holding their preprocess object.</summary>
    public string Preprocess { get; set; } = "";
    public string Fp32Layers { get; set; } = "";
    public string AccuracyTarget { get; set; } = "";
    public string Validation { get; set; } = "";
    public string Method { get; set; } = "";
    public string Activations { get; set; } = "";
    public string PerChannel { get; set; } = "";
    public string ReduceRange { get; set; } = "";
    public string Exclude { get; set; } = "";
    public string ExcludeOps { get; set; } = "";
    public string Selection { get; set; } = "";
    public string CalibrationLimit { get; set; } = "";
    /// <summary>Whose kernels the weights are packed for: x64, arm64 or any (--arch).</summary>
    public string Architecture { get; set; } = "";

    protected override string ToolName => "dotnet";

    // Progress and the tool's stdout are details; warnings and errors keep their own level.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Low;

    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : ToolName;

    protected override string GenerateCommandLineCommands()
    {
        var b = new CommandLineBuilder();
        b.AppendSwitch("exec");
        b.AppendFileNameIfNotNull(ToolAssembly);
        b.AppendSwitch("quantize");
        b.AppendFileNameIfNotNull(Model);
        Option(b, "--calib", Calibration);
        Option(b, "--preprocess", Preprocess);
        Option(b, "--fp32-layers", Fp32Layers);
        Option(b, "--accuracy-target", AccuracyTarget);
        Option(b, "--val", Validation);
        Option(b, "--method", Method);
        Option(b, "--activations", Activations);
        Option(b, "--exclude", Exclude);
        Option(b, "--exclude-op", ExcludeOps);
        Option(b, "--selection", Selection);
        Option(b, "--limit", CalibrationLimit);
        if (IsFalse(PerChannel)) b.AppendSwitch("--per-tensor");
        if (IsTrue(ReduceRange)) b.AppendSwitch("--reduce-range");
        Option(b, "--weights", WeightsPath);
        Option(b, "--program", ProgramPath);
        Option(b, "--arch", Architecture);
        Option(b, "--deps", DepsPath);
        Option(b, "--report", ReportPath);
        Option(b, "-o", PlanPath);
        b.AppendSwitch("--json");
        return b.ToString();
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (singleLine.StartsWith("{", StringComparison.Ordinal) || _stdout.Count > 0) _stdout.Add(singleLine);
        if (singleLine.IndexOf("warning QV0050:", StringComparison.Ordinal) >= 0)
            singleLine += $" — in the project: <QuantizedModel Include=\"{Path.GetFileName(Model)}\" Calibration=\"calib.json\" /> (docs/msbuild.md)";
        base.LogEventsFromTextOutput(singleLine, messageImportance);
    }

    public override bool Execute()
    {
        bool ok = base.Execute() && !Log.HasLoggedErrors;
        if (!ok)
        {
            // The tool writes the plan last; without it nothing of this run may look complete.
            foreach (var path in new[] { PlanPath, WeightsPath, ReportPath, DepsPath, ProgramPath })
                if (path.Length > 0 && File.Exists(path)) File.Delete(path);
            return false;
        }
        Log.LogMessage(MessageImportance.Normal, Summary());
        return true;
    }

    /// <summary>"model.onnx → ResNet18: 18 int8 / 3 fp32 layers, predicted output SQNR 36.1 dB, 12.3 s; report: …".</summary>
    private string Summary()
    {
        var name = $"{Path.GetFileName(Model)} → {(ClassName.Length > 0 ? ClassName : Path.GetFileNameWithoutExtension(Model))}";
        // The tool's --json object is flat where these fields are; a regex keeps System.Text.Json, which
        // Visual Studio's MSBuild may hold in another version, out of the task.
        var json = string.Join("\n", _stdout);
        double? Field(string field) =>
            Regex.Match(json, $"\"{field}\":\\s*(-?[0-9.eE+-]+)") is { Success: true } m
            && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        if (Field("layers") is not { } layers || Field("int8_layers") is not { } int8 || Field("seconds") is not { } seconds)
            return $"quantune: {name}: quantized ({PlanPath})";
        var predicted = Field("predicted_sqnr_db") is { } p ? FormattableString.Invariant($", predicted output SQNR {p:F1} dB") : "";
        var report = ReportPath.Length > 0 ? $"; report: {ReportPath}" : "";
        return FormattableString.Invariant($"quantune: {name}: {int8} int8 / {layers - int8} fp32 layers{predicted}, {seconds:F1} s{report}");
    }

    private static void Option(CommandLineBuilder b, string name, string value)
    {
        if (value.Length == 0) return;
        b.AppendSwitch(name);
        b.AppendFileNameIfNotNull(value);
    }

    private static bool IsTrue(string v) => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
    private static bool IsFalse(string v) => string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);
}
