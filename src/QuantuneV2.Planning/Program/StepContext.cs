using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;

namespace QuantuneV2.Planning.Program;

/// <summary>What a step lowering reads (the node, its values' shapes and offsets) and the fields it writes, in order.</summary>
internal sealed class StepContext
{
    private readonly Graph _graph;
    private readonly ProgramLowering.Arena _arena;
    private readonly InPlaceConcats _inPlace;
    private readonly ProgramWeights _weights;
    private readonly string _modelPath;
    private readonly List<Field> _fields = [];

    internal StepContext(Graph graph, Node node, ProgramLowering.Arena arena, InPlaceConcats inPlace, ProgramWeights weights, QConv2d.Architectures architectures, string modelPath)
    {
        (_graph, Node, _arena, _inPlace, _weights, Architectures, _modelPath) = (graph, node, arena, inPlace, weights, architectures, modelPath);
        Attributes = NodeContext.Of(node, graph.Opset);
    }

    /// <summary>Whose kernels the weights a step packs serve.</summary>
    public QConv2d.Architectures Architectures { get; }

    public Node Node { get; }
    public NodeContext Attributes { get; }

    public int[] Dims(int input) => _graph.TypeOf(Node.Inputs[input]).Shape!.ToInts();
    public int[] OutputDims => _graph.TypeOf(Node.Outputs[0]).Shape!.ToInts();
    public bool HasInput(int i) => Node.InputAt(i).Length > 0;
    public DataType InputType(int i) => _graph.TypeOf(Node.Inputs[i]).DataType;
    public DataType OutputType => _graph.TypeOf(Node.Outputs[0]).DataType;

    /// <summary>(channels, pixels per image) of an input stored channels-last, else (1, 1) (<see cref="ChannelsLast"/>).</summary>
    public (int Channels, int Plane) Extent(int input) => ChannelsLast.Extent(_graph, Node.Inputs[input]);
    public (int Channels, int Plane) OutputExtent => ChannelsLast.Extent(_graph, Node.Outputs[0]);
    public bool OutputReordered => ChannelsLast.Reorders(_graph, Node.Outputs[0]);
    /// <summary>Input dims in memory order (N, H, W, C for a channels-last value).</summary>
    public int[] PhysicalDims(int input) => ChannelsLast.PhysicalDims(_graph, Node.Inputs[input]);
    public int PhysicalOutputAxis(int axis) => ChannelsLast.PhysicalAxis(_graph, Node.Outputs[0], axis);

    /// <summary>A constant input (weights, scales, zero points) as stored in the graph.</summary>
    public Tensor Constant(int input) => _graph.Constants.TryGetValue(Node.InputAt(input), out var t) ? t
        : throw Fail($"input {input} ('{Node.InputAt(input)}') must be a constant for a generated kernel");

    public QuantuneException Fail(string message) =>
        new(DiagnosticCode.UnsupportedOp, message, _modelPath, Node.DisplayName, Node.OpType);

    public StepContext Int(string key, long value) => Add(key, KernelProgram.Int(value));
    public StepContext Ints(string key, IEnumerable<long> values) => Add(key, KernelProgram.List(values.Select(KernelProgram.Int)));
    public StepContext Bool(string key, bool value) => Add(key, value ? "true" : "false");
    public StepContext Float(string key, float value) => Add(key, KernelProgram.Float(value));
    public StepContext Floats(string key, IEnumerable<float> values) => Add(key, KernelProgram.List(values.Select(KernelProgram.Float)));

    /// <summary>The arena offset of input <paramref name="input"/>, or of the output.</summary>
    public StepContext At(string key, int input) => Int(key, OffsetOf(input));
    public long OffsetOf(int input) => _arena.Offset(Node.Inputs[input]);
    public StepContext OutputAt(string key) => Int(key, _arena.Offset(Node.Outputs[0]));
    /// <summary>The bytes between the output's pixels when it is written inside a wider value (<see cref="InPlaceConcats"/>), else null.</summary>
    public int? OutputPixelStride => _inPlace.PixelStride(Node.Outputs[0]);

    /// <summary>A constant input passed as a weight of the embedded blob: <c>#index:type</c>.</summary>
    public StepContext Weight(string key, int input)
    {
        var name = Node.InputAt(input);
        if (!_graph.Initializers.TryGetValue(name, out var tensor)) throw Fail($"input {input} ('{name}') is not an initializer of the lowered graph");
        return Add(key, $"#{_weights.Constant(name, tensor)}:{TypeName(tensor.DataType)}");
    }

    /// <summary>A layout packed for the kernels, passed as a weight of the blob named after the node's output and <paramref name="key"/>; nothing when empty.</summary>
    public StepContext Packed<T>(string key, T[] values, DataType type) where T : unmanaged =>
        values.Length == 0 ? this : Add(key, $"#{_weights.Packed($"{Node.Outputs[0]}.{key}", values, type)}:{TypeName(type)}");

    /// <summary>The quantized type of a value as a flag: true for int8, false for uint8.</summary>
    public StepContext Signed(string key, DataType type) => type switch
    {
        DataType.Int8 => Bool(key, true),
        DataType.UInt8 => Bool(key, false),
        _ => throw Fail($"{key}: {DataTypes.Name(type)} is not uint8 or int8"),
    };

    public KernelStep Step(string kernel) => new(kernel, _fields);

    public static string TypeName(DataType t) => t switch
    {
        DataType.Float => "f32",
        DataType.UInt8 => "u8",
        DataType.Int8 => "s8",
        DataType.Int32 => "s32",
        DataType.Int16 => "s16",
        _ => DataTypes.Name(t),
    };

    private StepContext Add(string key, string value)
    {
        _fields.Add(new Field(key, value));
        return this;
    }
}
