namespace QuantuneV2.Core.Calibration;

/// <summary>
/// Watches the values one tensor takes over the calibration samples and turns them into a clipping
/// range. An instance is not thread-safe: each worker owns a peer (<see cref="CreatePeer"/>) and the
/// peers are merged afterwards (<see cref="Merge"/>), so the hot path takes no locks. Every statistic
/// kept is order-independent (min, max, integer counts, or values keyed by sample index), so the range
/// is the same however the samples were split between workers and in whatever order they arrived.
/// NaN and ±∞ are ignored and counted (<see cref="NonFiniteCount"/>); with no finite value at all the
/// range is (0, 0). The range is not widened to contain 0: that is the quantizer's business.
/// </summary>
public abstract class RangeObserver
{
    private FiniteMinMax _seen = FiniteMinMax.Empty;
    private int _pass;

    /// <summary>Passes over the sample set the observer needs: 1, or 2 for histograms (range, then counts).</summary>
    public virtual int Passes => 1;

    /// <summary>NaN and ±∞ values seen in the first pass; they take no part in the range.</summary>
    public long NonFiniteCount => _seen.NonFinite;

    /// <summary>Exact (min, max) of the finite values of the first pass; (0, 0) when there were none.</summary>
    protected (float Min, float Max) Extremes => _seen.IsEmpty ? (0f, 0f) : (_seen.Min, _seen.Max);

    /// <summary>Takes one sample's values of the tensor (called once per sample per pass).</summary>
    public void Observe(int sample, ReadOnlySpan<float> values)
    {
        if (_pass > 0)
        {
            ObserveAgain(values);
            return;
        }
        var s = FiniteMinMax.Of(values);
        _seen = _seen.Union(s);
        if (!s.IsEmpty) OnSample(sample, s.Min, s.Max);
    }

    /// <summary>Ends the current pass (all peers merged into this one) and starts the next.</summary>
    public void NextPass()
    {
        if (_pass + 1 >= Passes) throw new InvalidOperationException($"{GetType().Name} makes {Passes} pass(es); pass {_pass + 2} requested");
        _pass++;
        OnNextPass();
    }

    /// <summary>An empty observer with the same settings, in the same pass, for another worker.</summary>
    public RangeObserver CreatePeer()
    {
        var peer = CreateEmpty();
        // A later pass depends on what the earlier ones found (a histogram's span): hand it over.
        peer._seen = _seen with { NonFinite = 0 };
        for (int p = 0; p < _pass; p++) peer.NextPass();
        return peer;
    }

    /// <summary>Adds what <paramref name="other"/> (a peer from <see cref="CreatePeer"/>) has seen.</summary>
    public void Merge(RangeObserver other)
    {
        if (other.GetType() != GetType() || other._pass != _pass)
            throw new ArgumentException($"cannot merge a {other.GetType().Name} in pass {other._pass + 1} into a {GetType().Name} in pass {_pass + 1}", nameof(other));
        _seen = _seen.Union(other._seen);
        MergeCore(other);
    }

    /// <summary>The calibrated clipping range; available once every pass is done.</summary>
    public (float Min, float Max) Range
    {
        get
        {
            if (_pass != Passes - 1) throw new InvalidOperationException($"{GetType().Name} needs {Passes} passes; pass {_pass + 1} is in progress");
            return _seen.IsEmpty ? (0f, 0f) : ComputeRange();
        }
    }

    /// <summary>
    /// The fraction of the calibration values that <paramref name="range"/> (this observer's <see cref="Range"/>,
    /// passed in because computing it can be costly) clips, or null when the observer keeps no statistic that
    /// tells (MinMax clips nothing; a moving average does not know).
    /// </summary>
    public virtual double? ClippedFraction((float Min, float Max) range) => null;

    protected abstract RangeObserver CreateEmpty();

    /// <summary>The range from the statistics; only called when at least one finite value was seen.</summary>
    protected abstract (float Min, float Max) ComputeRange();

    /// <summary>First pass: the finite min and max of one sample.</summary>
    protected virtual void OnSample(int sample, float min, float max) { }

    /// <summary>Later passes: the sample's values again.</summary>
    protected virtual void ObserveAgain(ReadOnlySpan<float> values) { }

    protected virtual void OnNextPass() { }

    /// <summary>Merges the subclass statistics of a peer of the same type and pass.</summary>
    protected virtual void MergeCore(RangeObserver other) { }
}
