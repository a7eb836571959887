namespace QuantuneV2.Core.Calibration;

/// <summary>
/// A tensor's calibrated clipping range, and how many NaN/±∞ values the samples produced for it
/// (ignored by the observers; non-zero is worth a warning).
/// </summary>
public readonly record struct CalibratedRange(float Min, float Max, long NonFiniteCount);
