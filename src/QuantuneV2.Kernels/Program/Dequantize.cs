namespace QuantuneV2.Kernels.Program;

/// <summary>int8/uint8 → fp32 at an int8→fp32 boundary: y = float32(x − ZeroPoint) · Scale.</summary>
public static class Dequantize
{
    public sealed class Args
    {
        public float Scale;
        public int ZeroPoint, X, Y, Count;
        public bool Signed;
    }

    public static void Run(Args a, Span<byte> arena)
    {
        var y = Arena.Floats(arena, a.Y, a.Count);
        for (int i = 0; i < y.Length; i++) y[i] = (Arena.Read(arena, a.X + i, a.Signed) - a.ZeroPoint) * a.Scale;
    }
}
