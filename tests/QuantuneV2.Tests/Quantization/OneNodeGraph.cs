using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;

namespace QuantuneV2.Tests.Quantization;

/// <summary>Runs one node on given runtime inputs (x0, x1, ...) and constant initializers.</summary>
internal static class OneNodeGraph
{
    public static Tensor Run(string opType, Tensor[] inputs, IEnumerable<KeyValuePair<string, Tensor>> constants, string[] inputNames, params QuantuneV2.Core.IR.Attribute[] attributes)
    {
        var domain = opType.StartsWith('Q') && opType != "QuantizeLinear" ? OpRegistry.QuantuneDomain : "";
        var node = new Node("n", opType, inputNames, ["y"], attributes, domain);
        var runtime = inputs.Select((t, i) => new ValueInfo($"x{i}", t.Type));
        var graph = Graph.Create("t", new ModelInfo(), runtime, [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [node], constants);
        return new Session(graph).Run(inputs)[0];
    }

    public static Tensor U8(int[] dims, params int[] values) => new(DataType.UInt8, dims, values.Select(v => (byte)v).ToArray());
    public static Tensor I8(int[] dims, params int[] values) => new(DataType.Int8, dims, values.Select(v => (sbyte)v).ToArray());
}
