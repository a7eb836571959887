using System.Collections.Frozen;

namespace QuantuneV2.Core.Ops;

/// <summary>The supported ai.onnx operators. Adding an op means adding its file and one line here.</summary>
public static class OpRegistry
{
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
    }.ToFrozenDictionary(o => o.OpType, StringComparer.Ordinal);

    public static IReadOnlyList<string> SupportedOpTypes { get; } = Ops.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string opType, out Op op) => Ops.TryGetValue(opType, out op!);

    public static Op Get(string opType) => Ops[opType];
}
