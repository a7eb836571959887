using QuantuneV2.Kernels;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>MatMul with numpy semantics: batched, broadcast batch dims, 1-D operands promoted and dropped.</summary>
public sealed class MatMul : Op
{
    public override string OpType => "MatMul";

    public override long MinOpset => 1;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(2, 2);
        ctx.RequireType(0, DataType.Float);
        ctx.RequireType(1, DataType.Float);
        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        if (a.Rank == 0 || b.Rank == 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, "MatMul operands must have rank ≥ 1");
        var pa = a.Rank == 1 ? new Shape([Dim.Of(1), a[0]]) : a;
        var pb = b.Rank == 1 ? new Shape([b[0], Dim.Of(1)]) : b;
        if (pa[^1].IsKnown && pb[^2].IsKnown && pa[^1].Value != pb[^2].Value)
            throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"inner dims differ: {a} · {b}");
        var batch = Broadcasting.InferShape(ctx, [new Shape([.. pa.Dims.SkipLast(2)]), new Shape([.. pb.Dims.SkipLast(2)])]);
        var dims = batch.Dims.ToList();
        if (a.Rank > 1) dims.Add(pa[^2]);
        if (b.Rank > 1) dims.Add(pb[^1]);
        ctx.SetOutput(0, DataType.Float, new Shape([.. dims]));
    }

    /// <summary>The backward to a for a matrix a and a constant matrix b (the int8 form's case).</summary>
    public override BackwardKernel? CreateBackward(KernelContext ctx)
    {
        var a = ctx.InputDims(0);
        if (a.Length != 2 || ctx.Constant(1) is not { Rank: 2 } b) return null;
        return new MatrixBackward(b.Floats.ToArray(), false, a[0], b.Dims[1], a[1], 1f, default);
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var a = ctx.InputDims(0);
        var b = ctx.InputDims(1);
        var pa = a.Length == 1 ? [1, a[0]] : a;
        var pb = b.Length == 1 ? [b[0], 1] : b;
        int m = pa[^2], k = pa[^1], n = pb[^1];
        var aBatch = pa[..^2];
        var bBatch = pb[..^2];
        var outBatch = Broadcasting.Dims(aBatch, bBatch);
        int rank = outBatch.Length;
        var strides = new[] { Broadcasting.Strides(aBatch, outBatch), Broadcasting.Strides(bBatch, outBatch) };
        int batches = outBatch.Aggregate(1, (p, d) => p * d);
        return new DelegateKernel((inputs, outputs) =>
        {
            var av = inputs[0]!.Floats;
            var bv = inputs[1]!.Floats;
            var y = outputs[0].Floats;
            y.Clear();
            var index = new int[rank];
            for (int t = 0; t < batches; t++)
            {
                int ao = 0, bo = 0;
                for (int i = 0; i < rank; i++) { ao += index[i] * strides[0][i]; bo += index[i] * strides[1][i]; }
                DenseLayer.Accumulate(false, false, m, n, k, 1f, av.Slice(ao * m * k, m * k), bv.Slice(bo * k * n, k * n), y.Slice(t * m * n, m * n));
                for (int i = rank - 1; i >= 0; i--)
                {
                    if (++index[i] < outBatch[i]) break;
                    index[i] = 0;
                }
            }
        });
    }
}
