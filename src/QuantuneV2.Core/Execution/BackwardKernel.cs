using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>
/// The transposed Jacobian of one node at one forward point (<see cref="Backpropagation"/>): from the
/// node's forward inputs and output and the cotangent of its output, it adds the cotangent of each input
/// that has a gradient buffer. First order only: ReLU masks and max-pool choices are read off the forward
/// values. Constant inputs (weights, bias) get no gradient.
/// </summary>
public abstract class BackwardKernel
{
    /// <param name="inputs">The node's forward inputs.</param>
    /// <param name="output">The node's forward output 0.</param>
    /// <param name="outputGradient">The cotangent of output 0.</param>
    /// <param name="inputGradients">Per input, the buffer its cotangent is added to, or null when none is wanted.</param>
    public abstract void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients);
}

/// <summary>The backward of ops that only move elements without reordering them (Flatten, Reshape, …): the cotangent passes as it is.</summary>
public sealed class PassThroughBackward : BackwardKernel
{
    public static PassThroughBackward Instance { get; } = new();

    public override void Run(Tensor?[] inputs, Tensor output, ReadOnlySpan<float> outputGradient, float[]?[] inputGradients)
    {
        if (inputGradients[0] is { } g) System.Numerics.Tensors.TensorPrimitives.Add(g, outputGradient, g);
    }
}
