using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Constant: a tensor from one of value, value_float(s), value_int(s). Always folded at load.</summary>
public sealed class Constant : Op
{
    public override string OpType => "Constant";

    public override long MinOpset => 1;

    private static Tensor Value(NodeContext ctx)
    {
        var present = ctx.Node.Attributes.Where(a => a.Name.StartsWith("value", StringComparison.Ordinal) || a.Name == "sparse_value").ToList();
        if (present.Count != 1) throw ctx.Fail(DiagnosticCode.InvalidAttribute, "exactly one value attribute is required");
        return present[0].Name switch
        {
            "value" => ctx.TensorAttr("value")!,
            "value_float" => Tensor.FromFloats([ctx.Float("value_float", 0)]),
            "value_floats" => Tensor.FromFloats(ctx.Floats("value_floats")!, ctx.Floats("value_floats")!.Length),
            "value_int" => Tensor.FromInt64s([ctx.Int("value_int", 0)]),
            "value_ints" => Tensor.FromInt64s(ctx.Ints("value_ints")!, ctx.Ints("value_ints")!.Length),
            var other => throw ctx.Fail(DiagnosticCode.InvalidAttribute, $"attribute '{other}' is not supported"),
        };
    }

    public override void Infer(InferenceContext ctx)
    {
        ctx.RequireInputCount(0, 0);
        ctx.SetOutputConstant(0, Value(ctx));
    }

    public override Kernel CreateKernel(KernelContext ctx)
    {
        var value = Value(ctx);
        return new DelegateKernel((_, outputs) => Array.Copy(value.Data, outputs[0].Data, value.Length));
    }
}
