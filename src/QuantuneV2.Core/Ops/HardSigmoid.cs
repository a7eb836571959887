namespace QuantuneV2.Core.Ops;

/// <summary>HardSigmoid: max(0, min(1, alpha·x + beta)), alpha 0.2 and beta 0.5 by default.</summary>
public sealed class HardSigmoid : UnaryOp
{
    public override string OpType => "HardSigmoid";

    protected override SpanMap Bind(NodeContext ctx)
    {
        float alpha = ctx.Float("alpha", 0.2f), beta = ctx.Float("beta", 0.5f);
        return (x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = Math.Clamp(alpha * x[i] + beta, 0f, 1f);
        };
    }
}
