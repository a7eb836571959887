namespace QuantuneV2.Data.Evaluation;

/// <summary>
/// A candidate model against its reference on the same samples.
/// <see cref="Agreement"/>: the fraction of samples whose top-1 classes are equal.
/// <see cref="SqnrDb"/>: 10·log10(Σ y² / Σ (y − ŷ)²) over every output element of every sample
/// (y the reference's output, ŷ the candidate's); +∞ when the outputs are identical.
/// </summary>
public sealed record ComparisonResult(EvaluationResult Reference, EvaluationResult Candidate, double Agreement, double SqnrDb);
