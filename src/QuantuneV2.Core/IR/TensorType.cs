namespace QuantuneV2.Core.IR;

/// <summary>Element type plus shape (null shape: rank unknown).</summary>
public sealed record TensorType(DataType DataType, Shape? Shape)
{
    public override string ToString() => DataTypes.Name(DataType) + (Shape?.ToString() ?? "[?]");
}
