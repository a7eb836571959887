namespace QuantuneV2.Core.Calibration;

/// <summary>
/// A tensor's calibrated clipping range, how many NaN/±∞ values the samples produced for it (ignored
/// by the observers; non-zero is worth a warning), and the fraction of the counted calibration values
/// the range clips, when the observer can tell (see <see cref="RangeObserver.ClippedFraction"/>).
/// </summary>
public readonly record struct CalibratedRange(float Min, float Max, long NonFiniteCount, double? ClippedFraction = null);
