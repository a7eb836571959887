using System.Runtime.InteropServices;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Planning.Program;

/// <summary>One tensor of a program's weights: ONNX data type, dims and little-endian bytes.</summary>
public sealed record ProgramWeight(string Name, DataType Type, int[] Dims, byte[] Bytes);

/// <summary>
/// The tensors a kernel program refers to by index (<c>#index:type</c>), in the order the weights file holds them:
/// the graph constants steps take as they are, and the layouts the tool packs for the kernels. A constant no step
/// takes (a convolution's weights once packed) is left out.
/// </summary>
public sealed class ProgramWeights
{
    private readonly List<ProgramWeight> _all = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public IReadOnlyList<ProgramWeight> All => _all;

    /// <summary>The index of a graph constant, added on first use.</summary>
    public int Constant(string name, Tensor tensor) => Add(name, () => new ProgramWeight(name, tensor.DataType, tensor.Dims, tensor.AsBytes().ToArray()));

    /// <summary>The index of a packed layout, a flat array under a name of its own.</summary>
    public int Packed<T>(string name, T[] values, DataType type) where T : unmanaged =>
        Add(name, () => new ProgramWeight(name, type, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    private int Add(string name, Func<ProgramWeight> create)
    {
        if (_index.TryGetValue(name, out int index)) return index;
        _all.Add(create());
        return _index[name] = _all.Count - 1;
    }
}
