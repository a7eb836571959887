using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.Execution;

/// <summary>The one place a node becomes a kernel: used by constant folding and by the executor.</summary>
internal static class KernelFactory
{
    public static Kernel Create(Op op, Node node, long opset, IReadOnlyDictionary<string, TensorType> types, IReadOnlyDictionary<string, Tensor> constants) =>
        op.CreateKernel(Context(node, opset, types, constants));

    public static BackwardKernel? CreateBackward(Op op, Node node, long opset, IReadOnlyDictionary<string, TensorType> types, IReadOnlyDictionary<string, Tensor> constants) =>
        op.CreateBackward(Context(node, opset, types, constants));

    private static KernelContext Context(Node node, long opset, IReadOnlyDictionary<string, TensorType> types, IReadOnlyDictionary<string, Tensor> constants)
    {
        var inTypes = node.Inputs.Select(i => i.Length > 0 ? types[i] : null).ToArray();
        var inConsts = node.Inputs.Select(i => i.Length > 0 ? constants.GetValueOrDefault(i) : null).ToArray();
        var outTypes = node.Outputs.Select(o => o.Length > 0 ? types[o] : new TensorType(DataType.Float, Shape.Of([0]))).ToArray();
        return new KernelContext(node, opset, inTypes, inConsts, outTypes);
    }
}
