using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// An fp32 reference kernel bound to one node's concrete shapes. Inputs that the node omits are null.
/// Output tensors are pre-allocated by the executor with the inferred dims; kernels write every element.
/// </summary>
public abstract class Kernel
{
    public abstract void Run(Tensor?[] inputs, Tensor[] outputs);
}

/// <summary>A kernel from a delegate, for ops whose execution is one short expression.</summary>
public sealed class DelegateKernel(Action<Tensor?[], Tensor[]> run) : Kernel
{
    public override void Run(Tensor?[] inputs, Tensor[] outputs) => run(inputs, outputs);
}
