using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>
/// int8/uint8 → fp32 at an int8→fp32 boundary: y = float32(x − ZeroPoint) · Scale. The input is channels-last
/// (images of Plane pixels × Channels; 1 and 1 for a value stored row-major), the output row-major (NCHW).
/// </summary>
public static class Dequantize
{
    public sealed class Args
    {
        public float Scale;
        public int ZeroPoint, X, Y, Count, Channels = 1, Plane = 1;
        public bool Signed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        var y = Arena.Floats(arena, a.Y, a.Count);
        int image = a.Channels * a.Plane;
        for (int n = 0; n < a.Count / image; n++)
            for (int c = 0; c < a.Channels; c++)
                for (int i = 0; i < a.Plane; i++)
                    y[n * image + c * a.Plane + i] = (Arena.Read(arena, a.X + n * image + i * a.Channels + c, a.Signed) - a.ZeroPoint) * a.Scale;
    }
}
