using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// The int8 add of two values of one shape (and layout), as the reference QAdd defines it:
///   y = clamp(round_half_even(float32(a − AZero)·AMultiplier + float32(b − BZero)·BMultiplier) + YZero),
/// both products and the sum separate float32 operations. 16 values per step in 128-bit vectors (<see cref="Requantization.Round"/>), the rest one by one.
/// </summary>
public static class QAdd
{
    public sealed class Args
    {
        public int Count, A, B, Y, AZero, BZero, YZero, YMin, YMax;
        public bool ASigned, BSigned, YSigned;
        public float AMultiplier, BMultiplier;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var (za, zb, zy) = (Vector128.Create(a.AZero), Vector128.Create(a.BZero), Vector128.Create(a.YZero));
            var (ma, mb) = (Vector128.Create(a.AMultiplier), Vector128.Create(a.BMultiplier));
            var lo = Vector128.Create((float)(a.YMin - a.YZero));
            var hi = Vector128.Create((float)(a.YMax - a.YZero));
            for (; i <= a.Count - 16; i += 16)
            {
                var (a0, a1, a2, a3) = Requantization.Widen(Vector128.Create(arena.Slice(a.A + i, 16)), a.ASigned);
                var (b0, b1, b2, b3) = Requantization.Widen(Vector128.Create(arena.Slice(a.B + i, 16)), a.BSigned);
                Vector128<int> Sum(Vector128<int> x, Vector128<int> y) =>
                    Requantization.Round(Vector128.ConvertToSingle(x - za) * ma + Vector128.ConvertToSingle(y - zb) * mb, lo, hi, zy);
                Requantization.Narrow(Sum(a0, b0), Sum(a1, b1), Sum(a2, b2), Sum(a3, b3)).CopyTo(arena.Slice(a.Y + i, 16));
            }
        }
        for (; i < a.Count; i++)
        {
            float scaled = (Arena.Read(arena, a.A + i, a.ASigned) - a.AZero) * a.AMultiplier + (Arena.Read(arena, a.B + i, a.BSigned) - a.BZero) * a.BMultiplier;
            Requantization.Write(arena, a.Y + i, Requantization.Store(scaled, a.YZero, a.YMin, a.YMax), a.YSigned);
        }
    }
}
