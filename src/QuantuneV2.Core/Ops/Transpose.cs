using System.Collections.Immutable;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Transpose: output dim k is input dim perm[k] (perm defaults to reversing the dims).</summary>
public sealed class Transpose : Op
{
    public override string OpType => "Transpose";

    public override long MinOpset => 1;

    private static int[] Perm(NodeContext ctx, int rank)
    {
        var perm = ctx.Ints("perm")?.Select(p => (int)p).ToArray() ?? Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || perm.Order().Where((p, i) => p != i).Any())
            throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"perm [{string.Join(",", perm)}] is not a permutation of {rank} dims");
        return perm;
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, 1);
        var s = ctx.InputShape(0);
        var perm = Perm(ctx, s.Rank);
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape(perm.Select(p => s[p]).ToImmutableArray()));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var inDims = ctx.InputDims(0);
        var perm = Perm(ctx, inDims.Length);
        var strides = IndexMapKernel.Strides(inDims);
        return new IndexMapKernel(IndexMapKernel.Build(ctx.OutputDims(0), idx =>
        {
            int src = 0;
            for (int k = 0; k < idx.Length; k++) src += idx[k] * strides[perm[k]];
            return src;
        }));
    }
}
