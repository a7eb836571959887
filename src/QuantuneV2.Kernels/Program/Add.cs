using System.Numerics.Tensors;

namespace QuantuneV2.Kernels.Program;

/// <summary>The fp32 add of two values of one shape, of a layer the plan keeps fp32 (IEEE sums, as the reference's).</summary>
public static class Add
{
    public sealed class Args
    {
        public int Count, A, B, Y;
    }

    public static void Run(Args a, Span<byte> arena) =>
        TensorPrimitives.Add(Arena.Floats(arena, a.A, a.Count), Arena.Floats(arena, a.B, a.Count), Arena.Floats(arena, a.Y, a.Count));
}
