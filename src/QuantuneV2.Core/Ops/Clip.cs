using System.Numerics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Clip: min/max as attributes (opset &lt; 11) or as optional scalar inputs (opset ≥ 11).</summary>
public sealed class Clip : Op
{
    public override string OpType => "Clip";

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, ctx.Opset < 11 ? 1 : 3);
        ctx.RequireType(0, DataType.Float, DataType.Double, DataType.Int8, DataType.UInt8, DataType.Int32, DataType.Int64);
        for (int i = 1; i < 3; i++)
        {
            if (!ctx.HasInput(i)) continue;
            ctx.RequireType(i, ctx.Input(0).DataType);
            if (ctx.InputShape(i) is { IsStatic: true } s && s.ElementCount() != 1)
                throw ctx.Fail(Diagnostics.DiagnosticCode.ShapeMismatch, $"input {i} must be a scalar, is {s}");
        }
        ctx.SetOutput(0, ctx.Input(0).DataType, ctx.Input(0).Shape);
    }

    public override Kernel CreateKernel(KernelContext ctx) => ctx.InputType(0) switch
    {
        DataType.Float => Bound<float>(ctx),
        DataType.Double => Bound<double>(ctx),
        DataType.Int8 => Bound<sbyte>(ctx),
        DataType.UInt8 => Bound<byte>(ctx),
        DataType.Int32 => Bound<int>(ctx),
        _ => Bound<long>(ctx),
    };

    private static DelegateKernel Bound<T>(KernelContext ctx) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        // Absent bounds do not clip (±∞ for floats, the type's range for integers); opset < 11 bounds are attributes.
        T attrMin = ctx.Opset < 11 && ctx.Node.HasAttribute("min") ? T.CreateSaturating(ctx.Float("min", 0)) : Unbounded<T>(-1);
        T attrMax = ctx.Opset < 11 && ctx.Node.HasAttribute("max") ? T.CreateSaturating(ctx.Float("max", 0)) : Unbounded<T>(+1);
        return new DelegateKernel((inputs, outputs) =>
        {
            T lo = inputs.Length > 1 && inputs[1] is { } a ? a.Span<T>()[0] : attrMin;
            T hi = inputs.Length > 2 && inputs[2] is { } b ? b.Span<T>()[0] : attrMax;
            var x = inputs[0]!.Span<T>();
            var y = outputs[0].Span<T>();
            for (int i = 0; i < x.Length; i++)
            {
                var v = x[i];
                // min then max, as ONNX specifies: when lo > hi every element becomes hi.
                y[i] = T.Min(T.Max(v, lo), hi);
            }
        });
    }

    private static T Unbounded<T>(int sign) where T : INumber<T>, IMinMaxValue<T> =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double)
            ? T.CreateChecked(sign * double.PositiveInfinity)
            : sign < 0 ? T.MinValue : T.MaxValue;
}
