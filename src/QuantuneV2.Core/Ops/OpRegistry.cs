using System.Collections.Frozen;

namespace QuantuneV2.Core.Ops;

/// <summary>The supported ai.onnx operators. Adding an op means adding its file and one line here.</summary>
public static class OpRegistry
{
    private static readonly FrozenDictionary<string, Op> Ops = new Op[]
    {
        new Identity(),
    }.ToFrozenDictionary(o => o.OpType, StringComparer.Ordinal);

    public static IReadOnlyList<string> SupportedOpTypes { get; } = Ops.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string opType, out Op op) => Ops.TryGetValue(opType, out op!);

    public static Op Get(string opType) => Ops[opType];
}
