using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// The output attributes every quantized op shares: y_zero_point, y_type (ONNX data type, 2 uint8 /
/// 3 int8), an optional integer clamp [y_min, y_max] (a fused ReLU/Clip) and an optional y_scale.
/// y_scale is informational: the multipliers already carry it, but an export to standard ONNX
/// (<see cref="QdqExport"/>) needs the output's real scale.
/// </summary>
public readonly record struct QuantizedOutput(int ZeroPoint, QuantType Type, int Min, int Max)
{
    public DataType DataType => QuantTensor.DataTypeOf(Type);

    public static QuantizedOutput Read(NodeContext ctx)
    {
        var type = (DataType)ctx.Int("y_type", (long)DataType.UInt8) switch
        {
            DataType.UInt8 => QuantType.UInt8,
            DataType.Int8 => QuantType.Int8,
            var t => throw ctx.Fail(DiagnosticCode.UnsupportedDataType, $"y_type {t} is not uint8 or int8"),
        };
        long zp = ctx.Int("y_zero_point", 0), lo = ctx.Int("y_min", type.Min()), hi = ctx.Int("y_max", type.Max());
        if (zp < type.Min() || zp > type.Max()) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"y_zero_point {zp} is outside {type}");
        if (lo < type.Min() || hi > type.Max() || lo > hi) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"clamp [{lo}, {hi}] is outside {type} or empty");
        float scale = ctx.Float("y_scale", 1f);
        if (!(scale > 0) || !float.IsFinite(scale)) throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"y_scale {scale} must be positive and finite");
        return new QuantizedOutput((int)zp, type, (int)lo, (int)hi);
    }

    /// <summary>The inputs QConv and QGemm share: x (uint8/int8), w (int8), bias (int32, optional), multiplier (float32, required).</summary>
    public static void CheckLinearInputs(InferenceContext ctx, int maxInputs)
    {
        ctx.RequireInputCount(2, maxInputs);
        if (!ctx.HasInput(3)) throw ctx.Fail(DiagnosticCode.InvalidInput, "input 3 (multiplier) is required");
        ctx.RequireType(0, DataType.UInt8, DataType.Int8);
        ctx.RequireType(1, DataType.Int8);
        if (ctx.HasInput(2)) ctx.RequireType(2, DataType.Int32);
        ctx.RequireType(3, DataType.Float);
    }

    /// <summary>Requantizes an accumulator (docs/numerics.md) and applies the clamp.</summary>
    public int Requantize(int accumulator, float multiplier) => Math.Clamp(Requantizer.Apply(accumulator, multiplier, ZeroPoint, Type), Min, Max);

    /// <summary>Saturates an already scaled real value: round_half_even, + zero point, type range, clamp.</summary>
    public int FromScaled(float scaled) =>
        (int)Math.Clamp(Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven) + ZeroPoint, Type.Min(), Type.Max()), Min, Max);
}
