using Google.Protobuf;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Tests.Onnx;

/// <summary>Hand-built ONNX models for front-end tests: a float input x, nodes, initializers, an output.</summary>
internal static class ProtoBuilder
{
    public static ModelProto Model(long opset, IEnumerable<NodeProto> nodes, string output = "y", long[]? inputDims = null, IEnumerable<TensorProto>? initializers = null)
    {
        var g = new GraphProto { Name = "test" };
        g.Input.Add(Value("x", inputDims ?? [2, 3]));
        g.Node.AddRange(nodes);
        g.Initializer.AddRange(initializers ?? []);
        g.Output.Add(new ValueInfoProto { Name = output });
        var m = new ModelProto { IrVersion = 8, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return m;
    }

    public static ValueInfoProto Value(string name, long[] dims)
    {
        var t = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto() };
        foreach (var d in dims) t.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string name = "", params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    public static TensorProto Floats(string name, long[] dims, params float[] values)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    public static byte[] Bytes(this ModelProto m) => m.ToByteArray();
}
