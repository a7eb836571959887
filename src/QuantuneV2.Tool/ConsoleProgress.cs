using System.Diagnostics;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Tool;

/// <summary>A progress bar on stderr when it is a terminal (nothing when redirected, so logs and --json stay clean).</summary>
internal sealed class ConsoleProgress : IProgressReporter
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    public static IProgressReporter? ForTerminal() => Console.IsErrorRedirected ? null : new ConsoleProgress();

    public void Report(ProgressInfo p)
    {
        lock (_gate)
        {
            bool last = p.Done == p.Total;
            if (!last && _sinceDraw.ElapsedMilliseconds < 100) return;
            _sinceDraw.Restart();
            const int width = 30;
            int filled = p.Total == 0 ? width : (int)((long)p.Done * width / p.Total);
            var eta = p.Done == 0 ? "" : $", {TimeSpan.FromSeconds(p.Elapsed.TotalSeconds * (p.Total - p.Done) / p.Done):mm\\:ss} left";
            Console.Error.Write($"\r{p.Stage} [{new string('#', filled)}{new string('.', width - filled)}] {p.Done}/{p.Total} {p.Elapsed:mm\\:ss}{eta}   ");
            _drawn = true;
            if (last && _drawn) Console.Error.WriteLine();
        }
    }
}
