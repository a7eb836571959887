using System.Diagnostics;
using System.Globalization;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Tool;

/// <summary>
/// Progress on stderr (stdout stays clean for --json): a redrawn bar on a terminal, otherwise a plain
/// line every 5 s and at the end of a stage that took a second or more, so logs (CI, MSBuild) show progress without control characters.
/// </summary>
internal sealed class ConsoleProgress(bool terminal) : IProgressReporter
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private string _stage = "";

    public static IProgressReporter Create() => new ConsoleProgress(!Console.IsErrorRedirected);

    public void Report(ProgressInfo p)
    {
        lock (_gate)
        {
            bool last = p.Done == p.Total;
            if (p.Stage != _stage)
            {
                _stage = p.Stage;
                _sinceDraw.Restart();
            }
            if (terminal) DrawBar(p, last);
            else WriteLine(p, last);
        }
    }

    private void DrawBar(ProgressInfo p, bool last)
    {
        if (!last && _sinceDraw.ElapsedMilliseconds < 100) return;
        _sinceDraw.Restart();
        const int width = 30;
        int filled = p.Total == 0 ? width : (int)((long)p.Done * width / p.Total);
        Console.Error.Write($"\r{p.Stage} [{new string('#', filled)}{new string('.', width - filled)}] {p.Done}/{p.Total} {p.Elapsed:mm\\:ss}{Eta(p)}   ");
        if (last) Console.Error.WriteLine();
    }

    private void WriteLine(ProgressInfo p, bool last)
    {
        if (last ? p.Elapsed.TotalSeconds < 1 : _sinceDraw.ElapsedMilliseconds < 5_000) return;
        _sinceDraw.Restart();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Stage}: {p.Done}/{p.Total} ({p.Elapsed:mm\\:ss}{Eta(p)})"));
    }

    private static string Eta(ProgressInfo p) =>
        p.Done == 0 || p.Done == p.Total ? "" : $", {TimeSpan.FromSeconds(p.Elapsed.TotalSeconds * (p.Total - p.Done) / p.Done):mm\\:ss} left";
}
