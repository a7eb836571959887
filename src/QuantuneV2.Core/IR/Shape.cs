using System.Collections.Immutable;

namespace QuantuneV2.Core.IR;

/// <summary>An immutable tensor shape whose dims may be symbolic.</summary>
public sealed class Shape : IEquatable<Shape>
{
    /// <summary>Largest element count a tensor may have: it must fit one .NET array.</summary>
    public const long MaxElements = int.MaxValue / 2;

    public Shape(ImmutableArray<Dim> dims) => Dims = dims;

    public Shape(params long[] dims) => Dims = dims.Select(Dim.Of).ToImmutableArray();

    public static Shape Of(ReadOnlySpan<int> dims)
    {
        var b = ImmutableArray.CreateBuilder<Dim>(dims.Length);
        foreach (var d in dims) b.Add(Dim.Of(d));
        return new Shape(b.MoveToImmutable());
    }

    public static readonly Shape Scalar = new(ImmutableArray<Dim>.Empty);

    public ImmutableArray<Dim> Dims { get; }
    public int Rank => Dims.Length;
    public Dim this[int i] => Dims[i];
    public Dim this[Index i] => Dims[i];
    public bool IsStatic => Dims.All(d => d.IsKnown);

    /// <summary>The static dims as ints; throws when a dim is symbolic (callers check <see cref="IsStatic"/>).</summary>
    public int[] ToInts()
    {
        var r = new int[Rank];
        for (int i = 0; i < r.Length; i++)
        {
            if (!Dims[i].IsKnown) throw new InvalidOperationException($"shape {this} is not static");
            r[i] = checked((int)Dims[i].Value);
        }
        return r;
    }

    public long ElementCount()
    {
        long n = 1;
        foreach (var d in Dims) n = checked(n * d.Value);
        return n;
    }

    public bool Equals(Shape? other) => other is not null && Dims.SequenceEqual(other.Dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in Dims) h.Add(d);
        return h.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(",", Dims) + "]";
}
