namespace QuantuneV2.Core.Calibration;

/// <summary>
/// Per-sample min and max, smoothed as an exponential moving average in sample-index order:
/// the first sample sets (min, max), then each next one moves them by
/// <c>m ← m + c·(sampleMin − m)</c> (likewise for max), c = <see cref="AveragingConstant"/>.
/// The average depends on the order, so workers keep (index, min, max) triples and the average is
/// taken after sorting by index: deterministic, at the cost of memory that grows with the number of
/// samples (12 bytes each) — the one observer that does.
/// </summary>
public sealed class MovingAverageMinMaxObserver : RangeObserver
{
    /// <summary>The constant PyTorch's MovingAverageMinMaxObserver uses.</summary>
    public const float DefaultAveragingConstant = 0.01f;

    private readonly List<(int Sample, float Min, float Max)> _samples = [];

    public MovingAverageMinMaxObserver(float averagingConstant = DefaultAveragingConstant)
    {
        if (!(averagingConstant > 0 && averagingConstant <= 1))
            throw new ArgumentOutOfRangeException(nameof(averagingConstant), averagingConstant, "the averaging constant must be in (0, 1]");
        AveragingConstant = averagingConstant;
    }

    public float AveragingConstant { get; }

    protected override RangeObserver CreateEmpty() => new MovingAverageMinMaxObserver(AveragingConstant);

    protected override void OnSample(int sample, float min, float max) => _samples.Add((sample, min, max));

    protected override void MergeCore(RangeObserver other) => _samples.AddRange(((MovingAverageMinMaxObserver)other)._samples);

    protected override (float Min, float Max) ComputeRange()
    {
        var ordered = _samples.OrderBy(s => s.Sample).ToList();
        float min = ordered[0].Min, max = ordered[0].Max;
        for (int i = 1; i < ordered.Count; i++)
        {
            min += AveragingConstant * (ordered[i].Min - min);
            max += AveragingConstant * (ordered[i].Max - max);
        }
        return (min, max);
    }
}
