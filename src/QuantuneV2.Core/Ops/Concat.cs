using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Concat along one axis; all other dims must agree.</summary>
public sealed class Concat : Op
{
    public override string OpType => "Concat";

    public override long MinOpset => 4;

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(1, int.MaxValue);
        var first = ctx.InputShape(0);
        if (first.Rank == 0) throw ctx.Fail(DiagnosticCode.ShapeMismatch, "cannot concatenate scalars");
        if (!ctx.Node.HasAttribute("axis")) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "attribute 'axis' is required");
        int axis = ctx.Axis(ctx.Int("axis", 0), first.Rank);
        var dims = first.Dims.ToArray();
        for (int i = 1; i < ctx.InputCount; i++)
        {
            ctx.RequireType(i, ctx.Input(0).DataType);
            var s = ctx.InputShape(i);
            if (s.Rank != first.Rank) throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {i} has rank {s.Rank}, input 0 has {first.Rank}");
            for (int k = 0; k < dims.Length; k++)
            {
                if (k == axis) dims[k] = dims[k].IsKnown && s[k].IsKnown ? Dim.Of(dims[k].Value + s[k].Value) : Dim.Unknown;
                else if (dims[k].IsKnown && s[k].IsKnown && dims[k].Value != s[k].Value)
                    throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"input {i} {s} does not match input 0 {first} outside axis {axis}");
                else if (!dims[k].IsKnown) dims[k] = s[k];
            }
        }
        ctx.SetOutput(0, ctx.Input(0).DataType, new Shape([.. dims]));
    }

    /// <summary>
    /// The copy plan of a concatenation: <c>Outer</c> repetitions, each writing input i's block of
    /// <c>Blocks[i]</c> elements into an output block of <c>OutBlock</c> elements.
    /// </summary>
    internal static (int Outer, int[] Blocks, int OutBlock) Layout(KernelContext ctx)
    {
        var outDims = ctx.OutputDims(0);
        int axis = ctx.Axis(ctx.Int("axis", 0), outDims.Length);
        int outer = 1, inner = 1;
        for (int k = 0; k < axis; k++) outer *= outDims[k];
        for (int k = axis + 1; k < outDims.Length; k++) inner *= outDims[k];
        return (outer, Enumerable.Range(0, ctx.InputCount).Select(i => ctx.InputDims(i)[axis] * inner).ToArray(), outDims[axis] * inner);
    }

    /// <summary>The backward: each input gets its block of the output's cotangent.</summary>
    public override BackwardKernel CreateBackward(KernelContext ctx)
    {
        var (outer, blocks, outBlock) = Layout(ctx);
        return new Backward(outer, blocks, outBlock);
    }

    private sealed class Backward(int outer, int[] blocks, int outBlock) : BackwardKernel
    {
        public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
        {
            int offset = 0;
            for (int i = 0; i < blocks.Length; i++)
            {
                if (inputGradients[i] is { } g)
                    for (int o = 0; o < outer; o++)
                    {
                        var target = g.AsSpan(o * blocks[i], blocks[i]);
                        System.Numerics.Tensors.TensorPrimitives.Add(target, outputGradient.Slice(o * outBlock + offset, blocks[i]), target);
                    }
                offset += blocks[i];
            }
        }
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var (outer, blocks, outBlock) = Layout(ctx);
        return new DelegateKernel((inputs, outputs) =>
        {
            int offset = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                for (int o = 0; o < outer; o++) Array.Copy(inputs[i]!.Data, o * blocks[i], outputs[0].Data, o * outBlock + offset, blocks[i]);
                offset += blocks[i];
            }
        });
    }
}
