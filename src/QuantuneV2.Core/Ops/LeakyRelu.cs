namespace QuantuneV2.Core.Ops;

/// <summary>LeakyRelu: x for x ≥ 0, alpha·x otherwise (alpha defaults to 0.01).</summary>
public sealed class LeakyRelu : UnaryOp
{
    public override string OpType => "LeakyRelu";

    protected override SpanMap Bind(NodeContext ctx)
    {
        float alpha = ctx.Float("alpha", 0.01f);
        return (x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] >= 0 ? x[i] : alpha * x[i];
        };
    }
}
