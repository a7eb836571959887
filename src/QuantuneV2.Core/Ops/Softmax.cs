namespace QuantuneV2.Core.Ops;

/// <summary>Softmax: exp(x − max) / Σ exp(x − max).</summary>
public sealed class Softmax : SoftmaxBase
{
    public override string OpType => "Softmax";
    protected override bool Log => false;
}
