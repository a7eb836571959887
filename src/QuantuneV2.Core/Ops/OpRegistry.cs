using System.Collections.Frozen;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// The supported operators: ai.onnx ones, and this project's fused ops in the <see cref="QuantuneDomain"/>
/// domain, which only our passes create. Adding an op means adding its file and one line here.
/// </summary>
public static class OpRegistry
{
    public const string QuantuneDomain = "com.quantune";

    private static readonly FrozenDictionary<string, Op> Ops = new Op[]
    {
        new Add(),
        new AveragePool(),
        new BatchNormalization(),
        new Clip(),
        new Concat(),
        new Constant(),
        new Conv(),
        new DequantizeLinear(),
        new Div(),
        new Dropout(),
        new Flatten(),
        new Gather(),
        new Gemm(),
        new GlobalAveragePool(),
        new GlobalMaxPool(),
        new HardSigmoid(),
        new HardSwish(),
        new Identity(),
        new LeakyRelu(),
        new LogSoftmax(),
        new Lrn(),
        new MatMul(),
        new MaxPool(),
        new Mul(),
        new Pad(),
        new QuantizeLinear(),
        new ReduceMean(),
        new Relu(),
        new Reshape(),
        new ShapeOp(),
        new Sigmoid(),
        new Softmax(),
        new Squeeze(),
        new Sub(),
        new Sum(),
        new Tanh(),
        new Transpose(),
        new Unsqueeze(),
        new FusedConv(),
        new FusedGemm(),
        new QConv(),
        new QGemm(),
        new QAdd(),
        new QConcat(),
        new QMaxPool(),
        new QAveragePool(),
        new QGlobalAveragePool(),
    }.ToFrozenDictionary(o => Key(o.Domain, o.OpType), StringComparer.Ordinal);

    /// <summary>The ai.onnx op types users may put in a model (what error messages list).</summary>
    public static IReadOnlyList<string> SupportedOpTypes { get; } = Ops.Values.Where(o => o.Domain.Length == 0).Select(o => o.OpType).Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string domain, string opType, out Op op) => Ops.TryGetValue(Key(domain, opType), out op!);

    /// <summary>An ai.onnx op by type.</summary>
    public static bool TryGet(string opType, out Op op) => TryGet("", opType, out op);

    public static Op Get(Node node) => Ops[Key(node.Domain, node.OpType)];

    private static string Key(string domain, string opType) => (domain == "ai.onnx" ? "" : domain) + "/" + opType;
}
