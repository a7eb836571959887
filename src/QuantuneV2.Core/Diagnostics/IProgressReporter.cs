namespace QuantuneV2.Core.Diagnostics;

/// <summary>Progress of long work (evaluation, calibration): samples done of total, time so far.</summary>
public readonly record struct ProgressInfo(string Stage, int Done, int Total, TimeSpan Elapsed);

/// <summary>
/// The one progress interface: the CLI draws a bar, the MSBuild task logs messages, tests ignore it.
/// Called from worker threads; implementations must be thread-safe and cheap.
/// </summary>
public interface IProgressReporter
{
    void Report(ProgressInfo progress);
}
