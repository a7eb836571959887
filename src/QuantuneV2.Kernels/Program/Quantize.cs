using System.Runtime.CompilerServices;
namespace QuantuneV2.Kernels.Program;

/// <summary>
/// fp32 → int8/uint8 at an fp32→int8 boundary: y = saturate(round_half_even(x / Scale) + ZeroPoint); NaN gives 0.
/// The input is row-major (NCHW); the output is channels-last: images of Plane pixels × Channels (1 and 1 for a value
/// stored row-major).
/// </summary>
public static class Quantize
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
        var x = Arena.Floats(arena, a.X, a.Count);
        var y = arena.Slice(a.Y, a.Count);
        int lo = a.Signed ? -128 : 0, hi = a.Signed ? 127 : 255, image = a.Channels * a.Plane;
        for (int n = 0; n < a.Count / image; n++)
            for (int c = 0; c < a.Channels; c++)
                for (int i = 0; i < a.Plane; i++)
                {
                    float q = MathF.Round(x[n * image + c * a.Plane + i] / a.Scale, MidpointRounding.ToEven) + a.ZeroPoint;
                    int v = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, lo, hi);
                    y[n * image + i * a.Channels + c] = a.Signed ? (byte)(sbyte)v : (byte)v;
                }
    }
}
