using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>The fp32 global average of each of Planes planes of PlaneSize values, computed as the reference executor does (TensorPrimitives.Sum / size).</summary>
public static class GlobalAveragePool
{
    public sealed class Args
    {
        public int Planes, PlaneSize, X, Y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        var x = Arena.Floats(arena, a.X, a.Planes * a.PlaneSize);
        var y = Arena.Floats(arena, a.Y, a.Planes);
        for (int p = 0; p < a.Planes; p++) y[p] = TensorPrimitives.Sum(x.Slice(p * a.PlaneSize, a.PlaneSize)) / a.PlaneSize;
    }
}
