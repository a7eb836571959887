using QuantuneV2.Core.Execution;

namespace QuantuneV2.Core.Ops;

/// <summary>
/// One ONNX operator: its attribute/input checks and shape inference, and the fp32 reference
/// kernel that executes it. One subclass per file in this folder.
/// </summary>
public abstract class Op
{
    public abstract string OpType { get; }

    /// <summary>"" for ai.onnx; <see cref="OpRegistry.QuantuneDomain"/> for the fused ops our passes create.</summary>
    public virtual string Domain => "";

    /// <summary>Checks the node and sets the type (and, when it can, the constant value) of every output.</summary>
    public abstract void Infer(InferenceContext ctx);

    /// <summary>A kernel bound to the node's concrete shapes. Constant inputs may be pre-packed here.</summary>
    public abstract Kernel CreateKernel(KernelContext ctx);

    /// <summary>
    /// The transposed Jacobian of the node at its concrete shapes, for first-order noise propagation; null
    /// when the op has none (an analysis then stops at the node's inputs).
    /// </summary>
    public virtual BackwardKernel? CreateBackward(KernelContext ctx) => null;

    /// <summary>The oldest opset whose definition of this op we implement (older ones differ in meaning).</summary>
    public virtual long MinOpset => 6;

    /// <summary>Whether the node's outputs may be computed at load time when all inputs are constant.</summary>
    public virtual bool CanFold => true;
}
