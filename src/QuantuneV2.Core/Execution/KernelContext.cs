using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Core.Execution;

/// <summary>What an op sees when it creates its kernel: static dims and types of every input and output.</summary>
public sealed class KernelContext : NodeContext
{
    private readonly TensorType?[] _inputs;
    private readonly Tensor?[] _constants;
    private readonly TensorType[] _outputs;

    internal KernelContext(Node node, long opset, TensorType?[] inputs, Tensor?[] constants, TensorType[] outputs)
        : base(node, opset)
    {
        _inputs = inputs;
        _constants = constants;
        _outputs = outputs;
    }

    public DataType InputType(int i) => In(i).DataType;
    public int[] InputDims(int i) => In(i).Shape!.ToInts();
    public Tensor? Constant(int i) => i < _constants.Length ? _constants[i] : null;
    public DataType OutputType(int i) => _outputs[i].DataType;
    public int[] OutputDims(int i) => _outputs[i].Shape!.ToInts();
    public int OutputCount => _outputs.Length;

    private TensorType In(int i) =>
        i < _inputs.Length && _inputs[i] is { } t ? t : throw Fail(DiagnosticCode.InvalidInput, $"input {i} is absent");
}
