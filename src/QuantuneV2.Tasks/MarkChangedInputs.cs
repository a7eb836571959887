using Microsoft.Build.Framework;

namespace QuantuneV2.Tasks;

/// <summary>
/// Makes a model's quantization out of date when a file it read last time changed. `quantune quantize
/// --deps` lists every file and folder a run read (model, data set spec, each calibration image or data
/// file, labels); they are not MSBuild inputs of the target, because one list per model would stop
/// MSBuild from rebuilding only the models that changed. Instead, when one of them is missing or newer
/// than the model's plan, this touches that model's options file, which is an input of the model's run
/// alone. A folder counts by its own time stamp, which changes when a file is added or removed.
/// </summary>
public sealed class MarkChangedInputs : Microsoft.Build.Utilities.Task
{
    /// <summary>One item per run: the options file, with metadata <c>Plan</c> and <c>Deps</c>.</summary>
    [Required] public ITaskItem[] Runs { get; set; } = [];

    public override bool Execute()
    {
        foreach (var run in Runs)
        {
            string plan = run.GetMetadata("Plan"), deps = run.GetMetadata("Deps");
            if (!File.Exists(plan) || !File.Exists(deps)) continue;
            var built = File.GetLastWriteTimeUtc(plan);
            var changed = File.ReadLines(deps).Where(p => p.Length > 0).FirstOrDefault(p => Changed(p, built));
            if (changed is null) continue;
            Log.LogMessage(MessageImportance.Low, $"quantune: '{changed}' changed since {plan} was written: quantizing again");
            File.SetLastWriteTimeUtc(run.ItemSpec, DateTime.UtcNow);
        }
        return !Log.HasLoggedErrors;
    }

    private static bool Changed(string path, DateTime built) =>
        File.Exists(path) ? File.GetLastWriteTimeUtc(path) > built
        : !Directory.Exists(path) || Directory.GetLastWriteTimeUtc(path) > built;
}
