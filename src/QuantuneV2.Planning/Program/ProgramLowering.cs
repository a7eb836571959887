using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Kernels.Program;
using QuantuneV2.Manifest;
using QuantuneV2.Planning.Program.Steps;

namespace QuantuneV2.Planning.Program;

/// <summary>
/// Lowers a quantized graph (batch fixed) to the kernel program the generator prints (docs/generator.md):
/// one step per node with every argument resolved, and one byte arena in which each runtime value has an
/// offset. Values whose lifetimes do not overlap share bytes; a reshape-like node (Flatten, Reshape, ...)
/// is no step at all, its output is its input's bytes, unless the input is stored channels-last with more than one
/// channel and pixel (<see cref="ChannelsLast"/>): then it is a ChannelsFirst copy. Weight arguments are indices into the
/// <see cref="ProgramWeights"/> the steps collect (the lowered graph's constants, and layouts packed for the kernels),
/// the order <see cref="WeightsFile"/> writes them in.
/// </summary>
internal static class ProgramLowering
{
    /// <summary>Offsets are multiples of this (a cache line, and the widest vector).</summary>
    public const int Alignment = 64;

    /// <summary>Bytes past the last value that kernels may read (never write): a vector load at a value's end.</summary>
    public const int ReadSlack = 64;

    private static readonly Dictionary<string, Func<StepContext, KernelStep>> Lowerings = new()
    {
        ["QuantizeLinear"] = QuantizeStep.Lower,
        ["DequantizeLinear"] = DequantizeStep.Lower,
        ["QConv"] = QConvStep.Lower,
        ["QGemm"] = QGemmStep.Lower,
        ["QGlobalAveragePool"] = QGlobalAveragePoolStep.Lower,
        ["QMaxPool"] = QMaxPoolStep.Lower,
        ["MaxPool"] = MaxPoolStep.Lower,
        ["Concat"] = ConcatStep.Lower,
        ["QConcat"] = QConcatStep.Lower,
        ["Conv"] = ConvStep.Lower,
        ["FusedConv"] = ConvStep.Lower,
        ["Gemm"] = GemmStep.Lower,
        ["FusedGemm"] = GemmStep.Lower,
        ["Softmax"] = SoftmaxStep.Lower,
        ["GlobalAveragePool"] = GlobalAveragePoolStep.Lower,
        ["AveragePool"] = AveragePoolStep.Lower,
        ["QAveragePool"] = QAveragePoolStep.Lower,
        ["Add"] = AddStep.Lower,
        ["QAdd"] = QAddStep.Lower,
    };

    /// <summary>Ops whose output is their first input's bytes, reinterpreted (row-major layout unchanged).</summary>
    private static readonly HashSet<string> Views = ["Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity"];

    /// <summary>The op types a program can hold.</summary>
    public static IEnumerable<string> SupportedOps => Lowerings.Keys.Concat(Views).Order(StringComparer.Ordinal);

    /// <param name="graph">A lowered graph with static shapes (<see cref="Graph.WithBatch"/>) and one float input and output.</param>
    /// <param name="modelPath">For error messages.</param>
    /// <param name="architectures">Whose kernels the packed weights serve.</param>
    public static (KernelProgram Program, ProgramWeights Weights) Lower(Graph graph, string modelPath, QConv2d.Architectures architectures)
    {
        foreach (var n in graph.Nodes)
            if (!Lowerings.ContainsKey(n.OpType) && !Views.Contains(n.OpType))
                throw new QuantuneException(DiagnosticCode.UnsupportedOp,
                    $"op {n.OpType} has no generated kernel (supported: {string.Join(", ", SupportedOps)})", modelPath, n.DisplayName, n.OpType);
        bool IsAlias(Node n) => Views.Contains(n.OpType) && !ChannelsLast.Reorders(graph, n.Inputs[0]);
        var inPlace = InPlaceConcats.Find(graph);
        var arena = Arena.Plan(graph, IsAlias, inPlace);
        var weights = new ProgramWeights();
        var program = new KernelProgram { ArenaBytes = arena.Bytes + ReadSlack };
        foreach (var i in graph.Inputs) program.Inputs.Add(Value(graph, i.Name, arena));
        foreach (var o in graph.Outputs) program.Outputs.Add(Value(graph, o.Name, arena));
        foreach (var n in graph.Nodes.Where(n => !inPlace.Elides(n)))
        {
            var lower = Lowerings.GetValueOrDefault(n.OpType) ?? (IsAlias(n) ? null : ChannelsFirstStep.Lower);
            if (lower is not null) program.Steps.Add(lower(new StepContext(graph, n, arena, inPlace, weights, architectures, modelPath)));
        }
        string input = graph.Inputs[0].Name;
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(input)).ToList();
        if (readers is [{ OpType: "QuantizeLinear" } quantize] && graph.Nodes[0] == quantize && graph.Outputs.All(o => o.Name != input))
            program.Meta.Add(new Field(KernelProgram.DirectInput, "true"));
        return (program, weights);
    }

    private static ProgramValue Value(Graph graph, string name, Arena arena) =>
        new(name, StepContext.TypeName(graph.TypeOf(name).DataType), [.. graph.TypeOf(name).Shape!.ToInts().Select(d => (long)d)], arena.Offset(name));

    /// <summary>
    /// Byte offsets of the runtime values: greedy first fit over lifetimes, views sharing their source's bytes, and the
    /// inputs of an in-place Concat inside its output's (which then lives from its first input's definition).
    /// </summary>
    internal sealed class Arena
    {
        private readonly Dictionary<string, long> _offsets = [];

        public long Bytes { get; private set; }

        public long Offset(string value) => _offsets[value];

        /// <param name="isAlias">Whether a node's output is its first input's bytes.</param>
        /// <param name="inPlace">The values written inside a Concat's output.</param>
        public static Arena Plan(Graph graph, Func<Node, bool> isAlias, InPlaceConcats inPlace)
        {
            var arena = new Arena();
            var nodes = graph.Nodes;
            // A view's output lives in its root's bytes (so does an in-place Concat's input, at an offset): the root
            // must live from the first of them defined to the last read.
            var root = new Dictionary<string, string>();
            string Root(string v) => root.TryGetValue(v, out var r) ? r : v;
            foreach (var n in nodes)
            {
                if (isAlias(n)) root[n.Outputs[0]] = Root(n.Inputs[0]);
                foreach (var o in n.Outputs)
                    if (inPlace.TryGetContainer(o, out var container, out _)) root[o] = container;
            }
            var first = new Dictionary<string, int>();
            var last = new Dictionary<string, int>();
            foreach (var i in graph.Inputs) first[i.Name] = -1;
            for (int s = 0; s < nodes.Length; s++)
            {
                foreach (var i in nodes[s].Inputs)
                    if (i.Length > 0 && !graph.Constants.ContainsKey(i)) last[Root(i)] = s;
                foreach (var o in nodes[s].Outputs)
                    if (o.Length > 0) first.TryAdd(Root(o), s);
            }
            foreach (var o in graph.Outputs) last[Root(o.Name)] = int.MaxValue;
            var live = new List<(long Start, long End, int Last)>();
            foreach (var (value, start) in first.OrderBy(kv => kv.Value))
            {
                live.RemoveAll(b => b.Last < start);
                long bytes = Align(graph.TypeOf(value).Shape!.ElementCount() * DataTypes.ElementSize(graph.TypeOf(value).DataType));
                long offset = 0;
                foreach (var b in live.OrderBy(b => b.Start))
                {
                    if (offset + bytes <= b.Start) break;
                    offset = Math.Max(offset, b.End);
                }
                live.Add((offset, offset + bytes, last.GetValueOrDefault(value, start)));
                arena._offsets[value] = offset;
                arena.Bytes = Math.Max(arena.Bytes, offset + bytes);
            }
            foreach (var (value, r) in root)
                arena._offsets[value] = arena._offsets[r] + (inPlace.TryGetContainer(value, out _, out long offset) ? offset : 0);
            return arena;
        }

        private static long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
    }
}
