using System.Globalization;

namespace QuantuneV2.Core.IR;

public enum AttributeKind { Float, Int, String, Tensor, Floats, Ints, Strings, Graph, Other }

/// <summary>A node attribute. Only the field matching <see cref="Kind"/> is meaningful.</summary>
public sealed class Attribute
{
    private Attribute(string name, AttributeKind kind) { Name = name; Kind = kind; }

    public string Name { get; }
    public AttributeKind Kind { get; }
    public float F { get; private init; }
    public long I { get; private init; }
    public string S { get; private init; } = "";
    public Tensor? T { get; private init; }
    public float[] Floats { get; private init; } = [];
    public long[] Ints { get; private init; } = [];
    public string[] Strings { get; private init; } = [];

    public static Attribute Float(string name, float v) => new(name, AttributeKind.Float) { F = v };
    public static Attribute Int(string name, long v) => new(name, AttributeKind.Int) { I = v };
    public static Attribute String(string name, string v) => new(name, AttributeKind.String) { S = v };
    public static Attribute TensorValue(string name, Tensor v) => new(name, AttributeKind.Tensor) { T = v };
    public static Attribute FloatList(string name, float[] v) => new(name, AttributeKind.Floats) { Floats = v };
    public static Attribute IntList(string name, long[] v) => new(name, AttributeKind.Ints) { Ints = v };
    public static Attribute StringList(string name, string[] v) => new(name, AttributeKind.Strings) { Strings = v };
    /// <summary>A kind we keep only to name it in errors (graphs, sparse tensors, type protos).</summary>
    public static Attribute Unsupported(string name, AttributeKind kind) => new(name, kind);

    public override string ToString() => Kind switch
    {
        AttributeKind.Float => F.ToString("R", CultureInfo.InvariantCulture),
        AttributeKind.Int => I.ToString(CultureInfo.InvariantCulture),
        AttributeKind.String => "\"" + S + "\"",
        AttributeKind.Tensor => T!.ToString(),
        AttributeKind.Floats => "[" + string.Join(",", Floats.Select(f => f.ToString("R", CultureInfo.InvariantCulture))) + "]",
        AttributeKind.Ints => "[" + string.Join(",", Ints.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]",
        AttributeKind.Strings => "[" + string.Join(",", Strings.Select(s => "\"" + s + "\"")) + "]",
        _ => "<" + Kind.ToString().ToLowerInvariant() + ">",
    };
}
