namespace QuantuneV2.Kernels;

/// <summary>The elementwise function a kernel applies to its result before storing it.</summary>
public enum ActivationKind
{
    None,
    Relu,
    /// <summary>min(max(x, Min), Max); ReLU6 is Clip(0, 6).</summary>
    Clip,
    /// <summary>x when x ≥ 0, else Alpha·x.</summary>
    LeakyRelu,
}

/// <summary>
/// A fused epilogue: kernels apply it to each output after adding the bias, while the value is still in a
/// register, which saves a separate pass over the output. <c>default</c> is <see cref="None"/>.
/// </summary>
public readonly record struct Activation
{
    private Activation(ActivationKind kind, float min, float max, float alpha)
    {
        Kind = kind;
        Min = min;
        Max = max;
        Alpha = alpha;
    }

    public ActivationKind Kind { get; }

    /// <summary>Lower bound of <see cref="ActivationKind.Clip"/>.</summary>
    public float Min { get; }

    /// <summary>Upper bound of <see cref="ActivationKind.Clip"/>.</summary>
    public float Max { get; }

    /// <summary>Slope for negative inputs of <see cref="ActivationKind.LeakyRelu"/>.</summary>
    public float Alpha { get; }

    public static Activation None => default;

    public static Activation Relu => new(ActivationKind.Relu, 0, 0, 0);

    public static Activation Clip(float min, float max)
    {
        // NaN bounds would make the result depend on the order of min/max instructions, i.e. on the ISA.
        if (float.IsNaN(min) || float.IsNaN(max) || min > max)
            throw new ArgumentException($"Clip needs min <= max, got [{min}, {max}].");
        return new(ActivationKind.Clip, min, max, 0);
    }

    public static Activation LeakyRelu(float alpha)
    {
        if (!float.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "LeakyRelu slope must be finite.");
        return new(ActivationKind.LeakyRelu, 0, 0, alpha);
    }

    public float Apply(float x) => Apply<ScalarOps, float>(x);

    internal TVec Apply<TOps, TVec>(TVec v)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        switch (Kind)
        {
            case ActivationKind.Relu:
                return TOps.Max(v, TOps.Zero);
            case ActivationKind.Clip:
                return TOps.Min(TOps.Max(v, TOps.Broadcast(Min)), TOps.Broadcast(Max));
            case ActivationKind.LeakyRelu:
                // Branch-free: one of min(v,0) and max(v,0) is zero, so this is exact whether or not it is fused.
                return TOps.MulAdd(TOps.Broadcast(Alpha), TOps.Min(v, TOps.Zero), TOps.Max(v, TOps.Zero));
            default:
                return v;
        }
    }
}
