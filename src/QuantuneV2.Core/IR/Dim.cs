namespace QuantuneV2.Core.IR;

/// <summary>One dimension: a known size, or a named symbol (e.g. the batch "N"), or unknown.</summary>
public readonly record struct Dim(long Value, string? Param)
{
    public static Dim Of(long value) => new(value, null);
    public static Dim Symbol(string name) => new(-1, name);
    public static readonly Dim Unknown = new(-1, null);

    public bool IsKnown => Value >= 0;

    public override string ToString() => IsKnown ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Param ?? "?";
}
