namespace QuantuneV2.Core.IR;

/// <summary>A named, typed value: a graph input/output or an intermediate.</summary>
public sealed record ValueInfo(string Name, TensorType Type)
{
    public override string ToString() => $"{Name}: {Type}";
}
