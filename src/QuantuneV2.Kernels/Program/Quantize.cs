namespace QuantuneV2.Kernels.Program;

/// <summary>fp32 → int8/uint8 at an fp32→int8 boundary: y = saturate(round_half_even(x / Scale) + ZeroPoint); NaN gives 0.</summary>
public static class Quantize
{
    public sealed class Args
    {
        public float Scale;
        public int ZeroPoint, X, Y, Count;
        public bool Signed;
    }

    public static void Run(Args a, Span<byte> arena)
    {
        var x = Arena.Floats(arena, a.X, a.Count);
        var y = arena.Slice(a.Y, a.Count);
        int lo = a.Signed ? -128 : 0, hi = a.Signed ? 127 : 255;
        for (int i = 0; i < x.Length; i++)
        {
            float q = MathF.Round(x[i] / a.Scale, MidpointRounding.ToEven) + a.ZeroPoint;
            int v = float.IsNaN(q) ? 0 : (int)Math.Clamp(q, lo, hi);
            y[i] = a.Signed ? (byte)(sbyte)v : (byte)v;
        }
    }
}
