namespace QuantuneV2.Kernels;

/// <summary>
/// The handful of vector operations the kernels use, as static members of a struct so that a kernel written once
/// over <c>TOps</c> is specialised by the JIT per vector type with every call inlined (the runtime's own
/// <c>ISimdVector</c> is not public). Implementations: <c>Vector512Ops</c>, <c>Vector256Ops</c> (x64),
/// <see cref="Vector128Ops"/> and <see cref="ScalarOps"/> (a "vector" of one lane, for the portable fallback).
/// </summary>
internal unsafe interface ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(float* source);

    static abstract void Store(float* destination, TVec value);

    static abstract TVec Broadcast(float value);

    /// <summary>a·b + c; fused where the hardware has FMA, a multiply and an add otherwise (never emulated).</summary>
    static abstract TVec MulAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>IEEE-754 division (HardSwish's x/6 must round exactly like the standalone op).</summary>
    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TVec v);

    static abstract TVec Max(TVec a, TVec b);

    static abstract TVec Min(TVec a, TVec b);

    /// <summary>The even-indexed lanes of a followed by b: the stride-2 gather of 2·Count floats.</summary>
    static abstract TVec Evens(TVec a, TVec b);
}
