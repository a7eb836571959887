using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Core.Quantization;

namespace QuantuneV2.Planning.Program;

/// <summary>
/// The int8 channel concatenations that cost nothing. When each input of a QConcat is a QConv's output that only the
/// Concat reads, and the Concat copies it unchanged (the quantizer gives such inputs the Concat's encoding), each
/// convolution writes its channels straight into the Concat's output, one pixel every YStride bytes, and the Concat
/// is no step. SqueezeNet's fire modules are such Concats.
/// </summary>
internal sealed class InPlaceConcats
{
    private readonly HashSet<Node> _concats = [];
    private readonly Dictionary<string, (string Container, int Channel, int Channels)> _members = [];

    public static InPlaceConcats Find(Graph graph)
    {
        var found = new InPlaceConcats();
        var reads = new Dictionary<string, int>();
        foreach (var i in graph.Nodes.SelectMany(n => n.Inputs).Where(i => i.Length > 0)) reads[i] = reads.GetValueOrDefault(i) + 1;
        var producers = graph.Nodes.ToDictionary(n => n.Outputs[0]);
        var outputs = graph.Outputs.Select(o => o.Name).ToHashSet();
        foreach (var n in graph.Nodes.Where(n => n.OpType == "QConcat"))
        {
            if (!CopiesAlongChannels(graph, n)) continue;
            bool written = n.Inputs.All(i => reads[i] == 1 && !outputs.Contains(i)
                && producers.TryGetValue(i, out var p) && p.OpType == "QConv" && graph.TypeOf(i).DataType == graph.TypeOf(n.Outputs[0]).DataType);
            if (!written) continue;
            found._concats.Add(n);
            int channels = graph.TypeOf(n.Outputs[0]).Shape!.ToInts()[1], channel = 0;
            foreach (var i in n.Inputs)
            {
                found._members[i] = (n.Outputs[0], channel, channels);
                channel += graph.TypeOf(i).Shape!.ToInts()[1];
            }
        }
        return found;
    }

    /// <summary>Whether a QConcat joins channels-last values along the channels and copies each input's bytes unchanged.</summary>
    private static bool CopiesAlongChannels(Graph graph, Node concat)
    {
        var y = concat.Outputs[0];
        if (!ChannelsLast.Applies(graph, y)) return false;
        var attributes = NodeContext.Of(concat, graph.Opset);
        if (ChannelsLast.PhysicalAxis(graph, y, attributes.Axis(attributes.Int("axis", 0), 4)) != 3) return false;
        var o = QuantizedOutput.Read(attributes);
        return o.Min == o.Type.Min() && o.Max == o.Type.Max()
            && attributes.Ints("input_zero_points") is { } zeros && zeros.All(z => z == o.ZeroPoint)
            && attributes.Floats("input_multipliers") is { } multipliers && multipliers.All(m => m == 1f);
    }

    /// <summary>Whether a node is a Concat whose inputs are written in place: no step.</summary>
    public bool Elides(Node n) => _concats.Contains(n);

    /// <summary>The value a value is written inside, and the byte offset of its first channel there.</summary>
    public bool TryGetContainer(string value, out string container, out long offset)
    {
        bool inside = _members.TryGetValue(value, out var m);
        (container, offset) = (m.Container, m.Channel);
        return inside;
    }

    /// <summary>The bytes between a value's pixels when it is written inside another (the other's channels), else null.</summary>
    public int? PixelStride(string value) => _members.TryGetValue(value, out var m) ? m.Channels : null;
}
