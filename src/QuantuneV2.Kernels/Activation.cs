using System.Runtime.CompilerServices;

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
    /// <summary>x·min(max(x/6 + 1/2, 0), 1), rounded step by step exactly like the standalone HardSwish op.</summary>
    HardSwish,
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

    public static Activation HardSwish => new(ActivationKind.HardSwish, 0, 0, 0);

    public float Apply(float x) => Apply<ScalarOps, float>(x);

    /// <summary>y = act(y + z): the epilogue of a layer with a residual input (z empty: act(y)).</summary>
    public void AddThenApply(Span<float> y, ReadOnlySpan<float> z)
    {
        if (!z.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(y, z, y);
        ApplyInPlace(y);
    }

    /// <summary>The activation over a whole span (for epilogues that run after a separate add).</summary>
    public void ApplyInPlace(Span<float> y)
    {
        switch (Kind)
        {
            case ActivationKind.Relu: System.Numerics.Tensors.TensorPrimitives.Max(y, 0f, y); break;
            case ActivationKind.Clip: System.Numerics.Tensors.TensorPrimitives.Clamp(y, Min, Max, y); break;
            case ActivationKind.LeakyRelu or ActivationKind.HardSwish: for (int i = 0; i < y.Length; i++) y[i] = Apply(y[i]); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TVec Apply<TOps, TVec>(TVec v)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => Kind switch
        {
            ActivationKind.Relu => ReluActivation.Apply<TOps, TVec>(v, this),
            ActivationKind.Clip => ClipActivation.Apply<TOps, TVec>(v, this),
            ActivationKind.LeakyRelu => LeakyReluActivation.Apply<TOps, TVec>(v, this),
            ActivationKind.HardSwish => HardSwishActivation.Apply<TOps, TVec>(v, this),
            _ => v,
        };
}

/// <summary>
/// One activation kind as a type, so a kernel can be specialised on it: its epilogue then has no per-vector
/// switch and stays small enough for the JIT to inline everything into the kernel.
/// </summary>
internal interface IActivationKind
{
    static abstract TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct;
}

internal readonly struct NoActivation : IActivationKind
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => v;
}

internal readonly struct ReluActivation : IActivationKind
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => TOps.Max(v, TOps.Zero);
}

internal readonly struct ClipActivation : IActivationKind
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => TOps.Min(TOps.Max(v, TOps.Broadcast(activation.Min)), TOps.Broadcast(activation.Max));
}

internal readonly struct LeakyReluActivation : IActivationKind
{
    // Branch-free: one of min(v,0) and max(v,0) is zero, so this is exact whether or not it is fused.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        => TOps.MulAdd(TOps.Broadcast(activation.Alpha), TOps.Min(v, TOps.Zero), TOps.Max(v, TOps.Zero));
}

internal readonly struct HardSwishActivation : IActivationKind
{
    // A division and separate multiply/add (no FMA), so the fused result is the standalone op's bit for bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec v, in Activation activation)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        var gate = TOps.Add(TOps.Divide(v, TOps.Broadcast(6f)), TOps.Broadcast(0.5f));
        return TOps.Multiply(v, TOps.Min(TOps.Max(gate, TOps.Zero), TOps.Broadcast(1f)));
    }
}
