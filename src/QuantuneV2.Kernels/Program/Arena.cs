using System.Runtime.InteropServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>Views of a program's byte arena: each value lives at a byte offset the tool planned.</summary>
public static class Arena
{
    public static Span<float> Floats(Span<byte> arena, int offset, int count) => MemoryMarshal.Cast<byte, float>(arena.Slice(offset, count * sizeof(float)));

    /// <summary>A quantized value, int8 or uint8 by <paramref name="signed"/>.</summary>
    public static int Read(Span<byte> arena, int index, bool signed) => signed ? (sbyte)arena[index] : arena[index];
}

/// <summary>The integer output stage of docs/numerics.md, shared by every int8 kernel here.</summary>
public static class Requantization
{
    /// <summary>clamp(round_half_even(scaled) + zero) to [min, max], the sum in float as the reference does it.</summary>
    public static int Store(float scaled, int zero, int min, int max) =>
        (int)Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven) + zero, min, max);

    public static void Write(Span<byte> arena, int index, int value, bool signed) => arena[index] = signed ? (byte)(sbyte)value : (byte)value;
}

/// <summary>The fused fp32 epilogue a program step names: 0 none, 1 Relu, 2 Clip (min, max), 3 LeakyRelu (alpha), 4 HardSwish.</summary>
public static class Activations
{
    public static Activation From(int kind, float[] parameters) => kind switch
    {
        0 => Activation.None,
        1 => Activation.Relu,
        2 => Activation.Clip(parameters[0], parameters[1]),
        3 => Activation.LeakyRelu(parameters[0]),
        4 => Activation.HardSwish,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };
}
