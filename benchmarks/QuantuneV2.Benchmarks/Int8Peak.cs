using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantuneV2.Benchmarks;

/// <summary>
/// The int8 multiply-accumulate ceiling of one core on the widest exact path .NET 10 exposes here (AVX-VNNI
/// VPDPBUSD on 256 bits: 32 MACs per instruction): 12 independent accumulator chains over register operands, so
/// nothing but the instruction's throughput limits it.
/// </summary>
public static class Int8Peak
{
    public const int Iterations = 1 << 20;

    /// <summary>Multiply-accumulates per call of <see cref="Run"/>.</summary>
    public const long MultiplyAccumulates = Iterations * 12L * 32;

    public static int Run()
    {
        if (!AvxVnni.IsSupported) return 0;
        var x = Vector256.Create((byte)1);
        var w = Vector256.Create((sbyte)1);
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<int> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, x, w);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, x, w);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, x, w);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, x, w);
            a4 = AvxVnni.MultiplyWideningAndAdd(a4, x, w);
            a5 = AvxVnni.MultiplyWideningAndAdd(a5, x, w);
            a6 = AvxVnni.MultiplyWideningAndAdd(a6, x, w);
            a7 = AvxVnni.MultiplyWideningAndAdd(a7, x, w);
            a8 = AvxVnni.MultiplyWideningAndAdd(a8, x, w);
            a9 = AvxVnni.MultiplyWideningAndAdd(a9, x, w);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, w);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, w);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return Vector256.Sum(sum);
    }
}
