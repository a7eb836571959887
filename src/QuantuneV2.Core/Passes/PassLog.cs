namespace QuantuneV2.Core.Passes;

/// <summary>What each pass changed, in order: shown by the CLI at detailed verbosity and kept in plans.</summary>
public sealed class PassLog
{
    private readonly List<(string Pass, string Change)> _entries = [];

    public IReadOnlyList<(string Pass, string Change)> Entries => _entries;

    public void Record(string pass, string change) => _entries.Add((pass, change));

    public int Count(string pass) => _entries.Count(e => e.Pass == pass);

    public override string ToString() => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Pass}: {e.Change}"));
}
