using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Execution;

/// <summary>Copies input 0 to output 0 (the data movement of Identity, Reshape, Flatten, Squeeze, ...).</summary>
public sealed class CopyKernel : Kernel
{
    public static readonly CopyKernel Instance = new();

    public override void Run(Tensor?[] inputs, Tensor[] outputs) => Array.Copy(inputs[0]!.Data, outputs[0].Data, outputs[0].Length);
}
