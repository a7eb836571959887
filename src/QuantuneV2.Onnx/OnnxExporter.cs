using Google.Protobuf;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx.Proto;

namespace QuantuneV2.Onnx;

/// <summary><see cref="Graph"/> → ModelProto, with the inferred types written as value_info.</summary>
internal static class OnnxExporter
{
    public static ModelProto Export(Graph graph)
    {
        var m = graph.Model;
        var model = new ModelProto
        {
            IrVersion = m.IrVersion,
            ProducerName = m.ProducerName,
            ProducerVersion = m.ProducerVersion,
            Domain = m.Domain,
            ModelVersion = m.ModelVersion,
            DocString = m.DocString,
            Graph = new GraphProto { Name = graph.Name },
        };
        foreach (var o in m.OpsetImports) model.OpsetImport.Add(new OperatorSetIdProto { Domain = o.Domain, Version = o.Version });
        foreach (var kv in m.Metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = kv.Key, Value = kv.Value });

        var g = model.Graph;
        foreach (var i in graph.Inputs) g.Input.Add(ToValueInfo(i));
        foreach (var kv in graph.InitializerList) g.Initializer.Add(TensorProtoConverter.ToProto(kv.Key, kv.Value));
        foreach (var n in graph.Nodes)
        {
            var p = new NodeProto { Name = n.Name, OpType = n.OpType, Domain = n.Domain };
            p.Input.AddRange(n.Inputs);
            p.Output.AddRange(n.Outputs);
            foreach (var a in n.Attributes) p.Attribute.Add(ToProto(a));
            g.Node.Add(p);
            foreach (var o in n.Outputs)
                if (o.Length > 0 && graph.Outputs.All(x => x.Name != o)) g.ValueInfo.Add(ToValueInfo(new ValueInfo(o, graph.TypeOf(o))));
        }
        foreach (var o in graph.Outputs) g.Output.Add(ToValueInfo(o));
        return model;
    }

    private static ValueInfoProto ToValueInfo(ValueInfo v)
    {
        var t = new TypeProto.Types.Tensor { ElemType = (int)v.Type.DataType };
        if (v.Type.Shape is { } s)
        {
            t.Shape = new TensorShapeProto();
            foreach (var d in s.Dims)
            {
                var dim = new TensorShapeProto.Types.Dimension();
                if (d.IsKnown) dim.DimValue = d.Value;
                else if (d.Param is not null) dim.DimParam = d.Param;
                t.Shape.Dim.Add(dim);
            }
        }
        return new ValueInfoProto { Name = v.Name, Type = new TypeProto { TensorType = t } };
    }

    private static AttributeProto ToProto(Core.IR.Attribute a)
    {
        var p = new AttributeProto { Name = a.Name };
        switch (a.Kind)
        {
            case AttributeKind.Float: p.Type = AttributeProto.Types.AttributeType.Float; p.F = a.F; break;
            case AttributeKind.Int: p.Type = AttributeProto.Types.AttributeType.Int; p.I = a.I; break;
            case AttributeKind.String: p.Type = AttributeProto.Types.AttributeType.String; p.S = ByteString.CopyFromUtf8(a.S); break;
            case AttributeKind.Tensor: p.Type = AttributeProto.Types.AttributeType.Tensor; p.T = TensorProtoConverter.ToProto("", a.T!); break;
            case AttributeKind.Floats: p.Type = AttributeProto.Types.AttributeType.Floats; p.Floats.AddRange(a.Floats); break;
            case AttributeKind.Ints: p.Type = AttributeProto.Types.AttributeType.Ints; p.Ints.AddRange(a.Ints); break;
            case AttributeKind.Strings: p.Type = AttributeProto.Types.AttributeType.Strings; p.Strings.AddRange(a.Strings.Select(ByteString.CopyFromUtf8)); break;
            default: throw new InvalidOperationException($"attribute '{a.Name}' of kind {a.Kind} cannot be saved");
        }
        return p;
    }
}
