namespace QuantuneV2.Data.Evaluation;

/// <summary>Accuracy of one model on one data set, with each sample's top-1 class (for agreement between models).</summary>
public sealed record EvaluationResult(int Count, int Top1Correct, int Top5Correct, int[] Predictions, TimeSpan Elapsed, int Threads)
{
    public double Top1 => Count == 0 ? 0 : (double)Top1Correct / Count;
    public double Top5 => Count == 0 ? 0 : (double)Top5Correct / Count;
    public double SamplesPerSecond => Elapsed.TotalSeconds > 0 ? Count / Elapsed.TotalSeconds : 0;
}
