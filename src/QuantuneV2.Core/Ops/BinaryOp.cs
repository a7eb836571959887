using System.Numerics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Element-wise ops over broadcast inputs (Add, Sub, Mul, Div; Sum folds Add over n inputs).</summary>
public abstract class BinaryOp : Op
{
    private static readonly DataType[] Types = [DataType.Float, DataType.Double, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.Int8];

    /// <summary>y = a ∘ b over contiguous float spans of equal length (vectorised).</summary>
    public abstract void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);

    /// <summary>a ∘ b for the other numeric types (integers wrap as in C, division truncates).</summary>
    public abstract T Scalar<T>(T a, T b) where T : INumber<T>;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 2);
        ctx.RequireType(0, Types);
        if (ctx.Input(1).DataType != ctx.Input(0).DataType)
            throw ctx.Fail(Diagnostics.DiagnosticCode.UnsupportedDataType, $"inputs have different types {ctx.Input(0).DataType} and {ctx.Input(1).DataType}");
        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        // Opset 6 aligned B at "axis" instead of at the trailing dims; only the numpy-compatible case is accepted.
        if (ctx.Opset < 7 && ctx.Int("broadcast", 0) != 0 && ctx.Node.HasAttribute("axis") && ctx.Axis(ctx.Int("axis", 0), a.Rank) != a.Rank - b.Rank)
            throw ctx.Fail(Diagnostics.DiagnosticCode.InvalidAttribute, "legacy broadcasting with an explicit axis is not supported");
        ctx.SetOutput(0, ctx.Input(0).DataType, Broadcasting.InferShape(ctx, [a, b]));
    }

    public override Kernel CreateKernel(KernelContext ctx) => Create(this, ctx.InputType(0), ctx.InputDims(0), ctx.InputDims(1), ctx.OutputDims(0));

    internal static BroadcastKernel Create(BinaryOp op, DataType type, int[] a, int[] b, int[] y) => type switch
    {
        DataType.Float => new FloatKernel(op, a, b, y),
        DataType.Double => new ScalarKernel<double>(op, a, b, y),
        DataType.Int32 => new ScalarKernel<int>(op, a, b, y),
        DataType.Int64 => new ScalarKernel<long>(op, a, b, y),
        DataType.UInt8 => new ScalarKernel<byte>(op, a, b, y),
        DataType.Int8 => new ScalarKernel<sbyte>(op, a, b, y),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Computes y = a ∘ b with broadcasting; also used by Sum with y aliased to a.</summary>
    internal abstract class BroadcastKernel(int[] a, int[] b, int[] y) : Kernel
    {
        protected readonly int[][] Strides = [Broadcasting.Strides(a, y), Broadcasting.Strides(b, y)];
        protected readonly int[] OutDims = y;
        protected readonly int Inner = y.Length == 0 ? 1 : y[^1];

        public override void Run(Tensor?[] inputs, Tensor[] outputs) => Apply(inputs[0]!, inputs[1]!, outputs[0]);

        public abstract void Apply(Tensor a, Tensor b, Tensor y);
    }

    private sealed class FloatKernel : BroadcastKernel
    {
        private readonly BinaryOp _op;
        private readonly float[] _repeatA, _repeatB;

        public FloatKernel(BinaryOp op, int[] a, int[] b, int[] y) : base(a, b, y)
        {
            _op = op;
            _repeatA = new float[Inner];
            _repeatB = new float[Inner];
        }

        public override void Apply(Tensor a, Tensor b, Tensor y)
        {
            var av = (float[])a.Data;
            var bv = (float[])b.Data;
            var yv = (float[])y.Data;
            if (a.Dims.AsSpan().SequenceEqual(OutDims) && b.Dims.AsSpan().SequenceEqual(OutDims))
            {
                _op.Float(av.AsSpan(0, y.Length), bv.AsSpan(0, y.Length), yv.AsSpan(0, y.Length));
                return;
            }
            int rank = OutDims.Length;
            bool aRepeats = rank == 0 || Strides[0][^1] == 0, bRepeats = rank == 0 || Strides[1][^1] == 0;
            Broadcasting.ForEachRow(OutDims, Strides, (yo, offs) =>
            {
                ReadOnlySpan<float> ra = aRepeats ? Fill(_repeatA, av[offs[0]]) : av.AsSpan(offs[0], Inner);
                ReadOnlySpan<float> rb = bRepeats ? Fill(_repeatB, bv[offs[1]]) : bv.AsSpan(offs[1], Inner);
                _op.Float(ra, rb, yv.AsSpan(yo, Inner));
            });
        }

        private static float[] Fill(float[] buffer, float v)
        {
            Array.Fill(buffer, v);
            return buffer;
        }
    }

    private sealed class ScalarKernel<T>(BinaryOp op, int[] a, int[] b, int[] y) : BroadcastKernel(a, b, y) where T : INumber<T>
    {
        public override void Apply(Tensor a, Tensor b, Tensor y)
        {
            var av = (T[])a.Data;
            var bv = (T[])b.Data;
            var yv = (T[])y.Data;
            int rank = OutDims.Length;
            int sa = rank == 0 ? 0 : Strides[0][^1], sb = rank == 0 ? 0 : Strides[1][^1];
            Broadcasting.ForEachRow(OutDims, Strides, (yo, offs) =>
            {
                for (int i = 0; i < Inner; i++) yv[yo + i] = op.Scalar(av[offs[0] + i * sa], bv[offs[1] + i * sb]);
            });
        }
    }
}
