namespace QuantuneV2.Core.Ops;

/// <summary>LogSoftmax: (x − max) − log Σ exp(x − max).</summary>
public sealed class LogSoftmax : SoftmaxBase
{
    public override string OpType => "LogSoftmax";
    protected override bool Log => true;
}
