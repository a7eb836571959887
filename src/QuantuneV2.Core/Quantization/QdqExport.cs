using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Core.Quantization;

/// <summary>
/// The int8 graph of <see cref="Quantizer"/> as a standard ONNX QDQ model (ai.onnx ops only) that ONNX
/// Runtime runs: each com.quantune op becomes DequantizeLinear of its int8 inputs → the fp32 op →
/// Relu/Clip for an integer clamp → QuantizeLinear back to the same int8 value (name, scale, zero
/// point). Weights stay int8 behind a DequantizeLinear with scales on axis 0, biases int32 with scale
/// s_x·s_w[c]. Q/DQ boundary nodes and layout ops on int8 values are kept as they are.
/// See docs/numerics.md, "QDQ export".
/// </summary>
public static class QdqExport
{
    /// <summary>Per-axis DequantizeLinear (per-channel weights) needs opset 13.</summary>
    public const long MinOpset = 13;

    private static readonly HashSet<string> ConvAttributes = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"];
    private static readonly HashSet<string> AveragePoolAttributes = ["auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"];

    // Standard ops the export carries over from an older opset whose signature changed incompatibly
    // before opset 13, with the version of the change (Softmax/LogSoftmax: see Upgrade).
    private static readonly Dictionary<string, long> ChangedAt = new()
    {
        ["Add"] = 7, ["Sub"] = 7, ["Mul"] = 7, ["Div"] = 7, ["Gemm"] = 7, ["BatchNormalization"] = 9,
        ["Clip"] = 11, ["Pad"] = 11, ["Dropout"] = 12, ["Squeeze"] = 13, ["Unsqueeze"] = 13,
    };

    public static Graph ToQdq(Graph int8Graph)
    {
        var exporter = new Exporter(int8Graph);
        foreach (var node in int8Graph.Nodes) exporter.Emit(node);
        var model = int8Graph.Model with
        {
            IrVersion = Math.Max(int8Graph.Model.IrVersion, 7), // the IR version of opset 13
            OpsetImports = [new OpsetImport("", Math.Max(MinOpset, int8Graph.Opset)),
                .. int8Graph.Model.OpsetImports.Where(o => o.Domain is not ("" or "ai.onnx" or OpRegistry.QuantuneDomain))],
        };
        // The Quantizer keeps the fp32 weights it replaced; the export leaves them out.
        var used = exporter.Nodes.SelectMany(n => n.Inputs).Concat(int8Graph.Outputs.Select(o => o.Name)).ToHashSet();
        return Graph.Create(int8Graph.Name, model, int8Graph.Inputs, int8Graph.Outputs, exporter.Nodes, exporter.Initializers.Where(kv => used.Contains(kv.Key)));
    }

    /// <summary>An int8 value's encoding: the scale and zero point initializers, and the scale's value.</summary>
    private readonly record struct Encoding(string Scale, string ZeroPoint, float ScaleValue);

    private sealed class Exporter
    {
        private readonly Graph _graph;
        private readonly Dictionary<string, Encoding> _encodings = [];
        private readonly Dictionary<string, string> _dequantized = [];
        private readonly GraphAdditions _added;

        public Exporter(Graph graph)
        {
            _graph = graph;
            _added = new GraphAdditions(graph);
            // A boundary DequantizeLinear already gives an int8 value's fp32 form: the export's consumers share it.
            foreach (var n in graph.Nodes)
                if (n.OpType == "DequantizeLinear" && n.Domain.Length == 0) _dequantized.TryAdd(n.Inputs[0], n.Outputs[0]);
        }

        public List<Node> Nodes { get; } = [];
        public List<KeyValuePair<string, Tensor>> Initializers => _added.Initializers;

        public void Emit(Node node)
        {
            if (node.Domain == OpRegistry.QuantuneDomain)
            {
                EmitInt8(node);
                return;
            }
            if (node.Domain.Length > 0)
                throw new QuantuneException(DiagnosticCode.UnsupportedOp, $"{node.OpType} ({node.Domain}) has no standard ONNX form", nodeName: node.DisplayName, opType: node.OpType);
            if (node.OpType == "QuantizeLinear")
            {
                var scale = _graph.Constants.GetValueOrDefault(node.Inputs[1]);
                if (scale is not { Length: 1 })
                    throw new QuantuneException(DiagnosticCode.InvalidInput, "an activation's scale must be one constant", nodeName: node.DisplayName, opType: node.OpType);
                _encodings[node.Outputs[0]] = new Encoding(node.Inputs[1], node.InputAt(2), scale.Floats[0]);
            }
            // Layout ops (Flatten, Reshape, ...) pass int8 data, and its encoding, through.
            else if (node.Inputs.Length > 0 && _encodings.TryGetValue(node.Inputs[0], out var e) && _graph.TypeOf(node.Outputs[0]).DataType is DataType.UInt8 or DataType.Int8)
                _encodings[node.Outputs[0]] = e;
            Nodes.Add(Upgrade(node));
        }

        /// <summary>A standard node as it reads at the export's opset (≥ 13), or an error when it would change meaning.</summary>
        private Node Upgrade(Node node)
        {
            long from = _graph.Opset;
            if (from >= MinOpset) return node;
            if (node.OpType is "Softmax" or "LogSoftmax")
            {
                // Before 13 these normalise over all dims from axis on (default 1), from 13 over axis alone
                // (default −1): the same when the dims after axis are all 1, e.g. [N, 1000, 1, 1].
                var ctx = NodeContext.Of(node, from);
                if (_graph.TypeOf(node.Inputs[0]).Shape is { Rank: > 0 } shape)
                {
                    int axis = ctx.Axis(ctx.Int("axis", 1), shape.Rank);
                    if (shape.Dims.Skip(axis + 1).All(d => d is { IsKnown: true, Value: 1 }))
                        return node.With(attributes: [.. node.Attributes.Where(a => a.Name != "axis"), Attribute.Int("axis", axis)]);
                }
                throw OpsetChange(node, MinOpset);
            }
            if (ChangedAt.TryGetValue(node.OpType, out var version) && from < version) throw OpsetChange(node, version);
            return node;
        }

        private QuantuneException OpsetChange(Node node, long version) => new(DiagnosticCode.UnsupportedOpset,
            $"{node.OpType} changed in opset {version}; the QDQ export needs opset {MinOpset} and the model uses opset {_graph.Opset}: convert the model to opset {MinOpset} first",
            nodeName: node.DisplayName, opType: node.OpType);

        private void EmitInt8(Node node)
        {
            if (node.OpType == "QMaxPool")
            {
                // Max commutes with dequantization: the output keeps the input's encoding.
                var input = EncodingOf(node.Inputs[0], node);
                Quantize(Fp32(node, "MaxPool", [Dequantized(node.Inputs[0], node)], node.Attributes), input, node.Outputs[0]);
                return;
            }
            var ctx = NodeContext.Of(node, _graph.Opset);
            float OutputScale() => node.HasAttribute("y_scale") ? ctx.Float("y_scale", 0)
                : throw ctx.Fail(DiagnosticCode.InvalidAttribute, "the output scale y_scale is missing (quantize the model again with this version)");
            string value = node.OpType switch
            {
                "QConv" => Conv(node, OutputScale()),
                "QGemm" => Fp32(node, "Gemm", Linear(node, OutputScale()), [Attribute.Int("transB", 1)]),
                "QAdd" => Fp32(node, "Add", node.Inputs.Select(i => Dequantized(i, node))),
                "QConcat" => Fp32(node, "Concat", node.Inputs.Select(i => Dequantized(i, node)), [node.FindAttribute("axis")!]),
                "QAveragePool" => Fp32(node, "AveragePool", [Dequantized(node.Inputs[0], node)], node.Attributes.Where(a => AveragePoolAttributes.Contains(a.Name))),
                "QGlobalAveragePool" => Fp32(node, "GlobalAveragePool", [Dequantized(node.Inputs[0], node)]),
                // E.g. a FusedConv left fp32 (LeakyRelu epilogue): there is no standard form to write.
                _ => throw ctx.Fail(DiagnosticCode.UnsupportedOp, $"{node.OpType} ({node.Domain}) has no standard ONNX form"),
            };
            var y = QuantizedOutput.Read(ctx);
            float sy = OutputScale();
            var output = node.Outputs[0];
            var encoding = new Encoding(Constant(output + "_scale", Tensor.FromFloats([sy])), Constant(output + "_zero_point", QuantTensor.Scalar(y.Type, y.ZeroPoint)), sy);
            Quantize(Clamp(node, value, y, sy), encoding, output);
        }

        /// <summary>Conv(DQ(x), DQ(w), DQ(bias)), plus DQ(z) for a residual (QConv adds it before its one rounding).</summary>
        private string Conv(Node node, float sy)
        {
            var conv = Fp32(node, "Conv", Linear(node, sy), node.Attributes.Where(a => ConvAttributes.Contains(a.Name)));
            return node.InputAt(4).Length == 0 ? conv : Fp32(node, "Add", [conv, Dequantized(node.Inputs[4], node)]);
        }

        /// <summary>
        /// The fp32 inputs of QConv/QGemm. The plan stores M[c] = float32(s_x·s_w[c]/s_y), not s_w: the weight
        /// scales are recovered as s_w[c] = M[c]·s_y/s_x (in double, rounded to float), so that a QDQ runtime's
        /// s_x·s_w[c]/s_y is M[c] again up to rounding. The int8 weights and int32 biases are the plan's, exactly.
        /// </summary>
        private List<string> Linear(Node node, float sy)
        {
            float sx = EncodingOf(node.Inputs[0], node).ScaleValue;
            var weightScales = _graph.Constants[node.Inputs[3]].Floats.ToArray().Select(m => (float)((double)m * sy / sx)).ToArray();
            var inputs = new List<string> { Dequantized(node.Inputs[0], node), DequantizedConstant(node.Inputs[1], weightScales, DataType.Int8) };
            if (node.InputAt(2).Length > 0)
                inputs.Add(DequantizedConstant(node.Inputs[2], [.. weightScales.Select(s => (float)((double)sx * s))], DataType.Int32));
            return inputs;
        }

        /// <summary>The integer clamp [y_min, y_max] in fp32: Relu when it is [zero point, type max], else Clip.</summary>
        private string Clamp(Node node, string value, QuantizedOutput y, float sy)
        {
            if (y.Min == y.Type.Min() && y.Max == y.Type.Max()) return value; // QuantizeLinear saturates anyway
            if (y.Min == y.ZeroPoint && y.Max == y.Type.Max()) return Fp32(node, "Relu", [value]);
            // Bounds on the output's grid: QuantizeLinear maps them back to y_min and y_max exactly.
            return Fp32(node, "Clip", [value, Constant(node.DisplayName + ".min", Tensor.FromFloats([(y.Min - y.ZeroPoint) * sy])),
                Constant(node.DisplayName + ".max", Tensor.FromFloats([(y.Max - y.ZeroPoint) * sy]))]);
        }

        private Encoding EncodingOf(string value, Node consumer) => _encodings.TryGetValue(value, out var e) ? e
            : throw new QuantuneException(DiagnosticCode.InvalidInput, $"the scale of int8 value '{value}' is unknown (it is not produced by QuantizeLinear, a quantized op or a layout op)",
                nodeName: consumer.DisplayName, opType: consumer.OpType);

        /// <summary>The fp32 form of an int8 activation: one DequantizeLinear per value, shared by its consumers.</summary>
        private string Dequantized(string value, Node consumer)
        {
            if (_dequantized.TryGetValue(value, out var fp32)) return fp32;
            var e = EncodingOf(value, consumer);
            var output = Unique(value + "_dequantized");
            Nodes.Add(new Node(output, "DequantizeLinear", [value, e.Scale, e.ZeroPoint], [output]));
            return _dequantized[value] = output;
        }

        /// <summary>DequantizeLinear of a constant with zero point 0: one scale, or one per index of axis 0.</summary>
        private string DequantizedConstant(string value, float[] scales, DataType zeroPointType)
        {
            bool perTensor = scales.All(s => s == scales[0]);
            int[] dims = perTensor ? [] : [scales.Length];
            var scale = Constant(value + "_scale", Tensor.FromFloats(perTensor ? [scales[0]] : scales, dims));
            var zeroPoint = Constant(value + "_zero_point", Tensor.Zeros(zeroPointType, dims));
            var output = Unique(value + "_dequantized");
            Nodes.Add(new Node(output, "DequantizeLinear", [value, scale, zeroPoint], [output], perTensor ? null : [Attribute.Int("axis", 0)]));
            return output;
        }

        private void Quantize(string value, Encoding encoding, string int8Value)
        {
            Nodes.Add(new Node(int8Value + "_quantize", "QuantizeLinear", [value, encoding.Scale, encoding.ZeroPoint], [int8Value]));
            _encodings[int8Value] = encoding;
        }

        private string Fp32(Node source, string opType, IEnumerable<string> inputs, IEnumerable<Attribute>? attributes = null)
        {
            var output = Unique($"{source.DisplayName}_{opType.ToLowerInvariant()}");
            Nodes.Add(new Node(output, opType, inputs, [output], attributes));
            return output;
        }

        private string Constant(string name, Tensor value) => _added.Constant(name, value);

        private string Unique(string name) => _added.Unique(name);
    }
}
