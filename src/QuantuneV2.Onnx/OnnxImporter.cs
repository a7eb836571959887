using System.Collections.Immutable;
using Google.Protobuf;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx.Proto;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Onnx;

/// <summary>ModelProto → validated <see cref="Graph"/>.</summary>
internal static class OnnxImporter
{
    public static Graph Import(ModelProto model, ExternalDataReader? external)
    {
        if (model.Graph is null) throw new QuantuneException(DiagnosticCode.MissingGraph, "the model has no graph");
        var g = model.Graph;
        if (g.SparseInitializer.Count > 0)
            throw new QuantuneException(DiagnosticCode.UnsupportedDataType, $"sparse initializers are not supported ('{g.SparseInitializer[0].Values?.Name}')");

        var info = new ModelInfo
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Domain = model.Domain,
            ModelVersion = model.ModelVersion,
            DocString = model.DocString,
            OpsetImports = model.OpsetImport.Select(o => new OpsetImport(o.Domain, o.Version)).ToImmutableArray(),
            Metadata = model.MetadataProps.Select(kv => KeyValuePair.Create(kv.Key, kv.Value)).ToImmutableArray(),
        };
        var inits = g.Initializer.Select(t => KeyValuePair.Create(t.Name, TensorProtoConverter.ToTensor(t, external))).ToList();
        var nodes = g.Node.Select(n => new Node(n.Name, n.OpType, n.Input, n.Output, n.Attribute.Select(a => ToAttribute(a, n, external)), n.Domain)).ToList();
        return Graph.Create(g.Name, info, g.Input.Select(ToValueInfo), g.Output.Select(ToValueInfo), nodes, inits, g.ValueInfo.Select(ToValueInfo));
    }

    private static ValueInfo ToValueInfo(ValueInfoProto v)
    {
        if (v.Type?.TensorType is not { } t)
            return new ValueInfo(v.Name, new TensorType(DataType.Undefined, null));
        Shape? shape = null;
        if (t.Shape is { } s)
        {
            shape = new Shape(s.Dim.Select(d => d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when d.DimValue >= 0 => Dim.Of(d.DimValue),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Symbol(d.DimParam),
                _ => Dim.Unknown,
            }).ToImmutableArray());
        }
        return new ValueInfo(v.Name, new TensorType((DataType)t.ElemType, shape));
    }

    private static Attribute ToAttribute(AttributeProto a, NodeProto n, ExternalDataReader? external)
    {
        var type = a.Type;
        if (type == AttributeProto.Types.AttributeType.Undefined) type = GuessType(a);
        try
        {
            return type switch
            {
                AttributeProto.Types.AttributeType.Float => Attribute.Float(a.Name, a.F),
                AttributeProto.Types.AttributeType.Int => Attribute.Int(a.Name, a.I),
                AttributeProto.Types.AttributeType.String => Attribute.String(a.Name, a.S.ToStringUtf8()),
                AttributeProto.Types.AttributeType.Tensor => Attribute.TensorValue(a.Name, TensorProtoConverter.ToTensor(a.T ?? new TensorProto(), external)),
                AttributeProto.Types.AttributeType.Floats => Attribute.FloatList(a.Name, a.Floats.ToArray()),
                AttributeProto.Types.AttributeType.Ints => Attribute.IntList(a.Name, a.Ints.ToArray()),
                AttributeProto.Types.AttributeType.Strings => Attribute.StringList(a.Name, a.Strings.Select(s => s.ToStringUtf8()).ToArray()),
                AttributeProto.Types.AttributeType.Graph or AttributeProto.Types.AttributeType.Graphs => Attribute.Unsupported(a.Name, AttributeKind.Graph),
                _ => Attribute.Unsupported(a.Name, AttributeKind.Other),
            };
        }
        catch (QuantuneException e)
        {
            throw new QuantuneException(e.Code, $"attribute '{a.Name}': {e.Message}", nodeName: n.Name.Length > 0 ? n.Name : n.Output.FirstOrDefault(), opType: n.OpType);
        }
    }

    /// <summary>Very old files leave the attribute type unset: infer it from the populated field.</summary>
    private static AttributeProto.Types.AttributeType GuessType(AttributeProto a) =>
        a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
        : a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints
        : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
        : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
        : a.G is not null ? AttributeProto.Types.AttributeType.Graph
        : !a.S.IsEmpty ? AttributeProto.Types.AttributeType.String
        : a.F != 0 ? AttributeProto.Types.AttributeType.Float
        : AttributeProto.Types.AttributeType.Int;
}
