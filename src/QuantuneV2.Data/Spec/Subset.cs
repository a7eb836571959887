namespace QuantuneV2.Data.Spec;

/// <summary>
/// Which samples of the data a spec uses: a slice (<c>start</c>, <c>stop</c>, <c>step</c>, as in Python
/// without negative values) or an explicit <c>indices</c> list. Calibration and evaluation specs over the
/// same files stay disjoint by giving them disjoint subsets.
/// </summary>
internal sealed class Subset
{
    private readonly SpecContext _context;
    private readonly int _start;
    private readonly int? _stop;
    private readonly int _step;
    private readonly int[]? _indices;

    private Subset(SpecContext context, int start, int? stop, int step, int[]? indices)
    {
        _context = context;
        _start = start;
        _stop = stop;
        _step = step;
        _indices = indices;
    }

    public static Subset Parse(SpecObject spec)
    {
        var start = spec.Int("start", 0);
        var stop = spec.Int("stop", 0);
        var step = spec.Int("step", 1);
        var indices = spec.Ints("indices", 0);
        spec.RejectUnknownFields();
        if (indices is not null && (start is not null || stop is not null || step is not null))
            throw spec.Error("indices", "cannot be combined with start, stop or step: give either a slice or a list");
        return new Subset(spec.Context, start ?? 0, stop, step ?? 1, indices);
    }

    /// <summary>The selected sample indices, in order, out of <paramref name="available"/> samples.</summary>
    public int[] Select(int available)
    {
        if (_indices is not null) return CheckList(available);
        // A stop past the end is an error rather than clamped: it usually means the spec expects other data.
        var stop = _stop ?? available;
        if (stop > available) throw _context.Error($"field 'subset.stop': {stop} is past the end: the data has {available} samples");
        if (_start >= stop) throw _context.Error($"field 'subset': start {_start} and stop {stop} select no samples (the data has {available})");
        var r = new int[(stop - _start + _step - 1) / _step];
        for (int i = 0; i < r.Length; i++) r[i] = _start + i * _step;
        return r;
    }

    private int[] CheckList(int available)
    {
        var list = _indices!;
        if (list.Length == 0) throw _context.Error("field 'subset.indices': is empty: select at least one sample");
        var seen = new HashSet<int>();
        foreach (var i in list)
        {
            if (i >= available) throw _context.Error($"field 'subset.indices': index {i} is out of range: the data has {available} samples");
            if (!seen.Add(i)) throw _context.Error($"field 'subset.indices': index {i} appears twice");
        }
        return (int[])list.Clone();
    }
}
