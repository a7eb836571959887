using System.Collections.Immutable;

namespace QuantuneV2.Core.IR;

/// <summary>
/// One operator application. Inputs and outputs are value names; an empty name is an omitted
/// optional input/output, as in ONNX.
/// </summary>
public sealed class Node
{
    public Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<IR.Attribute>? attributes = null, string domain = "")
    {
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs.ToImmutableArray();
        Outputs = outputs.ToImmutableArray();
        Attributes = (attributes ?? []).ToImmutableArray();
    }

    public string Name { get; }
    public string OpType { get; }
    public string Domain { get; }
    public ImmutableArray<string> Inputs { get; }
    public ImmutableArray<string> Outputs { get; }
    public ImmutableArray<IR.Attribute> Attributes { get; }

    /// <summary>A name for messages: the node name, or its first output when the model left names empty.</summary>
    public string DisplayName => Name.Length > 0 ? Name : Outputs.FirstOrDefault(o => o.Length > 0) ?? "";

    public IR.Attribute? FindAttribute(string name)
    {
        foreach (var a in Attributes) if (a.Name == name) return a;
        return null;
    }

    public bool HasAttribute(string name) => FindAttribute(name) is not null;

    /// <summary>The input name at <paramref name="index"/>, or "" when absent.</summary>
    public string InputAt(int index) => index < Inputs.Length ? Inputs[index] : "";

    public Node With(string? name = null, IEnumerable<string>? inputs = null, IEnumerable<string>? outputs = null, IEnumerable<IR.Attribute>? attributes = null) =>
        new(name ?? Name, OpType, inputs ?? Inputs, outputs ?? Outputs, attributes ?? Attributes, Domain);

    public override string ToString() => $"{DisplayName} ({OpType})";
}
