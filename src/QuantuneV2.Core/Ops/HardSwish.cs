namespace QuantuneV2.Core.Ops;

/// <summary>HardSwish: x · max(0, min(1, x/6 + 1/2)).</summary>
public sealed class HardSwish : UnaryOp
{
    public override string OpType => "HardSwish";

    protected override SpanMap Bind(NodeContext ctx) => static (x, y) =>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * Math.Clamp(x[i] / 6f + 0.5f, 0f, 1f);
    };
}
