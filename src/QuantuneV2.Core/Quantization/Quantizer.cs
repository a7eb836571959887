using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Ops;
using QuantuneV2.Core.Passes;
using QuantuneV2.Kernels;
using Attribute = QuantuneV2.Core.IR.Attribute;

namespace QuantuneV2.Core.Quantization;

/// <summary>
/// Lowers a fused fp32 graph to the mixed int8/fp32 graph the integer reference executor runs:
/// quantizable nodes become the int8 ops of docs/numerics.md (QConv, QGemm (also for 2-D MatMul), QAdd, QConcat, QMaxPool, QAveragePool,
/// QGlobalAveragePool), layout ops (Flatten, Reshape, ...) pass int8 data through, and
/// QuantizeLinear/DequantizeLinear appear only where int8 and fp32 meet. Int8 values are named
/// "{value}_q"; fp32 names, graph inputs and graph outputs keep their names.
/// </summary>
public static class Quantizer
{
    private static readonly HashSet<string> LayoutOps = ["Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity"];

    /// <summary>Whether <paramref name="node"/> only moves elements (Flatten, Reshape, …): fed an int8-only value, it runs on the int8 data as is.</summary>
    public static bool IsLayout(Node node) => node.Domain.Length == 0 && LayoutOps.Contains(node.OpType);

    /// <summary>Whether <paramref name="node"/> has an int8 form (with constant weights where it needs them).</summary>
    public static bool IsQuantizable(Graph graph, Node node)
    {
        // A fused Relu/Clip is the integer clamp; other epilogues (LeakyRelu, HardSwish) stay fp32.
        if (node.Domain == OpRegistry.QuantuneDomain)
            return node.OpType is "FusedConv" or "FusedGemm" && node.FindAttribute("activation")?.S is null or "Relu" or "Clip"
                   && HasInt8Form(graph, node, node.OpType["Fused".Length..]);
        return node.Domain.Length == 0 && HasInt8Form(graph, node, node.OpType);
    }

    private static bool HasInt8Form(Graph graph, Node node, string opType) => opType switch
    {
        "Conv" => graph.Constants.ContainsKey(node.Inputs[1]) && (node.InputAt(2).Length == 0 || graph.Constants.ContainsKey(node.Inputs[2])),
        "Gemm" => graph.Constants.ContainsKey(node.Inputs[1]) && node.FindAttribute("transA")?.I is null or 0 && GemmBias(graph, node) is not null,
        // A 2-D MatMul by constant weights is a Gemm without bias (QGemm reads x as [M, K]).
        "MatMul" => graph.Constants.TryGetValue(node.Inputs[1], out var w) && w.Rank == 2 && graph.TypeOf(node.Inputs[0]).Shape?.Rank == 2,
        "Add" or "Concat" => node.Inputs.All(i => !graph.Constants.ContainsKey(i)) && graph.TypeOf(node.Outputs[0]).DataType == DataType.Float,
        "MaxPool" => node.Outputs.Skip(1).All(o => o.Length == 0),
        "AveragePool" => node.FindAttribute("kernel_shape") is not null,
        "GlobalAveragePool" => graph.TypeOf(node.Inputs[0]).Shape is { } s && s.Dims.Skip(2).All(d => d.IsKnown),
        _ => false,
    };

    /// <summary>The fp32 values whose ranges calibration must measure: activations read or written by int8 nodes.</summary>
    public static IReadOnlyList<string> ValuesToCalibrate(Graph graph, QuantizationOptions options) =>
        graph.Nodes.Where(n => IsInt8(graph, n, options))
            .SelectMany(n => ActivationInputs(n).Concat(n.OpType == "MaxPool" ? [] : [n.Outputs[0]]))
            .Where(v => !graph.Constants.ContainsKey(v)).Distinct().ToList();

    private static bool IsInt8(Graph graph, Node n, QuantizationOptions options) =>
        IsQuantizable(graph, n) && !options.Fp32Nodes.Contains(n.DisplayName) && !options.Fp32OpTypes.Contains(n.OpType);

    /// <summary>
    /// The values whose only reader is a Concat with an int8 form (and that are not graph outputs), each with that
    /// Concat's output. A plan gives such a value the Concat's range, so its producer requantizes once, straight to the
    /// Concat's encoding, and the int8 Concat is a copy instead of a second rounding of every element.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConcatInputs(Graph graph)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var concat in graph.Nodes.Where(n => n.OpType == "Concat" && n.Domain.Length == 0 && IsQuantizable(graph, n)))
            foreach (var input in concat.Inputs)
                if (graph.Consumers(input).Count == 1 && concat.Inputs.Count(i => i == input) == 1 && graph.Outputs.All(o => o.Name != input))
                    result[input] = concat.Outputs[0];
        return result;
    }

    /// <summary>The activation (non-weight) inputs an int8 form of <paramref name="n"/> reads.</summary>
    public static IEnumerable<string> ActivationInputs(Node n) => n.OpType switch
    {
        "Conv" or "Gemm" or "FusedGemm" or "MatMul" or "MaxPool" or "AveragePool" or "GlobalAveragePool" => [n.Inputs[0]],
        "FusedConv" => n.InputAt(3).Length > 0 ? [n.Inputs[0], n.Inputs[3]] : [n.Inputs[0]],
        _ => n.Inputs,
    };

    public static Graph Quantize(Graph graph, IReadOnlyDictionary<string, (float Min, float Max)> ranges, QuantizationOptions options, PassLog log) =>
        Quantize(graph, ranges, options, log, out _);

    /// <param name="int8Values">Each fp32 value of <paramref name="graph"/> that has an int8 form: its name in the result and its encoding.</param>
    public static Graph Quantize(Graph graph, IReadOnlyDictionary<string, (float Min, float Max)> ranges, QuantizationOptions options, PassLog log,
        out IReadOnlyDictionary<string, Int8Value> int8Values)
    {
        var state = new State(graph, ranges, options, log);
        foreach (var node in graph.Nodes)
        {
            if (IsInt8(graph, node, options)) state.EmitInt8(node);
            else if (IsLayout(node) && state.HasInt8(node.Inputs[0]) && !state.HasFp32(node.Inputs[0])) state.EmitLayout(node);
            else state.EmitFp32(node);
        }
        foreach (var o in graph.Outputs) state.RequireFp32(o.Name);
        int8Values = state.Int8Values;
        return Graph.Create(graph.Name, graph.Model, graph.Inputs, graph.Outputs, state.Nodes, state.Initializers);
    }

    private sealed class State(Graph graph, IReadOnlyDictionary<string, (float Min, float Max)> ranges, QuantizationOptions options, PassLog log)
    {
        private readonly Dictionary<string, Int8Value> _int8 = [];
        private readonly HashSet<string> _fp32 = [.. graph.Inputs.Select(i => i.Name), .. graph.Constants.Keys];
        private readonly GraphAdditions _added = new(graph);

        public List<Node> Nodes { get; } = [];
        public List<KeyValuePair<string, Tensor>> Initializers => _added.Initializers;

        public bool HasInt8(string value) => _int8.ContainsKey(value);

        public IReadOnlyDictionary<string, Int8Value> Int8Values => _int8;
        public bool HasFp32(string value) => _fp32.Contains(value);

        private string Unique(string name) => _added.Unique(name);

        private string Constant(string name, Tensor value) => _added.Constant(name, value);

        private QuantParams ParamsOf(string value, Node node)
        {
            if (!ranges.TryGetValue(value, out var r))
                throw new QuantuneException(DiagnosticCode.InvalidInput, $"no calibration range for '{value}'", nodeName: node.DisplayName, opType: node.OpType);
            return QuantParams.FromRange(r.Min, r.Max, options.Activations);
        }

        /// <summary>The int8 form of an fp32 value, quantizing it at this boundary the first time it is needed.</summary>
        private Int8Value Int8(string value, Node consumer)
        {
            if (_int8.TryGetValue(value, out var q)) return q;
            var p = ParamsOf(value, consumer);
            var name = Unique(value + "_q");
            Nodes.Add(new Node(name + "_quantize", "QuantizeLinear", [value, ScaleOf(value, p), ZeroPointOf(value, p)], [name]));
            log.Record("quantize", $"QuantizeLinear before {consumer}: '{value}' scale {p.Scale:G6} zero point {p.ZeroPoint}");
            return _int8[value] = new Int8Value(name, p);
        }

        private string ScaleOf(string value, QuantParams p) => Constant(value + "_scale", Tensor.FromFloats([p.Scale]));

        private string ZeroPointOf(string value, QuantParams p) => Constant(value + "_zero_point", QuantTensor.Scalar(p.Type, p.ZeroPoint));

        /// <summary>Makes an int8-only value available in fp32 (DequantizeLinear under its original name).</summary>
        public void RequireFp32(string value)
        {
            if (value.Length == 0 || _fp32.Contains(value) || !_int8.TryGetValue(value, out var q)) return;
            Nodes.Add(new Node(value + "_dequantize", "DequantizeLinear", [q.Name, ScaleOf(value, q.Params), ZeroPointOf(value, q.Params)], [value]));
            _fp32.Add(value);
        }

        public void EmitFp32(Node node)
        {
            foreach (var i in node.Inputs) RequireFp32(i);
            Nodes.Add(node);
            foreach (var o in node.Outputs) if (o.Length > 0) _fp32.Add(o);
        }

        public void EmitLayout(Node node)
        {
            var (input, p) = _int8[node.Inputs[0]];
            var output = Unique(node.Outputs[0] + "_q");
            Nodes.Add(node.With(inputs: [input, .. node.Inputs.Skip(1)], outputs: [output]));
            _int8[node.Outputs[0]] = new Int8Value(output, p);
        }

        public void EmitInt8(Node node)
        {
            var output = node.Outputs[0];
            QuantParams outParams = node.OpType == "MaxPool" ? Int8(node.Inputs[0], node).Params : ParamsOf(output, node);
            var name = Unique(output + "_q");
            var outAttrs = new List<Attribute>
            {
                Attribute.Int("y_zero_point", outParams.ZeroPoint),
                Attribute.Int("y_type", (long)QuantTensor.DataTypeOf(outParams.Type)),
                Attribute.Float("y_scale", outParams.Scale),
            };
            Node lowered = node.OpType switch
            {
                "Conv" or "FusedConv" => Conv(node, name, outParams, outAttrs),
                "Gemm" or "FusedGemm" or "MatMul" => Gemm(node, name, outParams, outAttrs),
                "Add" => Binary(node, name, outParams, outAttrs),
                "Concat" => Concat(node, name, outParams, outAttrs),
                "AveragePool" => AveragePool(node, name, outParams, outAttrs),
                "MaxPool" => new Node(node.Name, "QMaxPool", [Int8(node.Inputs[0], node).Name], [name], node.Attributes.Where(a => a.Name != "storage_order"), OpRegistry.QuantuneDomain),
                _ => GlobalAveragePool(node, name, outParams, outAttrs),
            };
            Nodes.Add(lowered);
            _int8[output] = new Int8Value(name, outParams);
            log.Record("quantize", $"{node} runs int8 as {lowered.OpType}");
        }

        private Node Conv(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var (x, px) = Int8(node.Inputs[0], node);
            var w = WeightQuantizer.Quantize(Weights(graph, node)!, options.PerChannel, options.ReduceRange);
            var bias = node.InputAt(2).Length > 0 ? graph.Constants[node.Inputs[2]].Floats.ToArray() : new float[w.Dims[0]];
            var inputs = new List<string>
            {
                x,
                Constant(node.Inputs[1] + "_quantized", new Tensor(DataType.Int8, w.Dims, w.Values)),
                Constant(node.DisplayName + ".bias_quantized", new Tensor(DataType.Int32, [bias.Length], WeightQuantizer.QuantizeBias(bias, px.Scale, w))),
                Constant(node.DisplayName + ".multiplier", Tensor.FromFloats(Enumerable.Range(0, w.Dims[0]).Select(c => Requantizer.Multiplier(px.Scale, w.ScaleOf(c), y.Scale)).ToArray(), w.Dims[0])),
            };
            attrs.Add(Attribute.Int("x_zero_point", px.ZeroPoint));
            if (node.InputAt(3).Length > 0)
            {
                var (z, pz) = Int8(node.Inputs[3], node);
                inputs.Add(z);
                attrs.Add(Attribute.Int("z_zero_point", pz.ZeroPoint));
                attrs.Add(Attribute.Float("z_multiplier", (float)((double)pz.Scale / y.Scale)));
            }
            AddClamp(node, y, attrs);
            return new Node(node.Name, "QConv", inputs, [name], node.Attributes.Where(a => a.Name is not ("activation" or "activation_params")).Concat(attrs), OpRegistry.QuantuneDomain);
        }

        /// <summary>A fused Relu/Clip (FusedConv, FusedGemm) becomes the integer clamp [quantize(lo), quantize(hi)]; nothing for a plain op.</summary>
        private void AddClamp(Node node, QuantParams y, List<Attribute> attrs)
        {
            var activation = FusedActivation.Read(new AttributeReader(node));
            if (activation.Kind == ActivationKind.Relu) attrs.Add(Attribute.Int("y_min", y.Quantize(0f)));
            if (activation.Kind == ActivationKind.Clip)
            {
                attrs.Add(Attribute.Int("y_min", y.Quantize(activation.Min)));
                attrs.Add(Attribute.Int("y_max", y.Quantize(activation.Max)));
            }
        }

        private Node Gemm(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var (x, px) = Int8(node.Inputs[0], node);
            var w = WeightQuantizer.Quantize(Weights(graph, node)!, options.PerChannel, options.ReduceRange);
            int n = w.Dims[0], k = w.Dims[1];
            attrs.Add(Attribute.Int("x_zero_point", px.ZeroPoint));
            AddClamp(node, y, attrs);
            return new Node(node.Name, "QGemm",
            [
                x,
                Constant(node.Inputs[1] + "_quantized", new Tensor(DataType.Int8, [n, k], w.Values)),
                Constant(node.DisplayName + ".bias_quantized", new Tensor(DataType.Int32, [n], WeightQuantizer.QuantizeBias(GemmBias(graph, node)!, px.Scale, w))),
                Constant(node.DisplayName + ".multiplier", Tensor.FromFloats(Enumerable.Range(0, n).Select(c => Requantizer.Multiplier(px.Scale, w.ScaleOf(c), y.Scale)).ToArray(), n)),
            ], [name], attrs, OpRegistry.QuantuneDomain);
        }

        private Node Binary(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var (a, pa) = Int8(node.Inputs[0], node);
            var (b, pb) = Int8(node.Inputs[1], node);
            attrs.AddRange([Attribute.Int("a_zero_point", pa.ZeroPoint), Attribute.Int("b_zero_point", pb.ZeroPoint),
                Attribute.Float("a_multiplier", (float)((double)pa.Scale / y.Scale)), Attribute.Float("b_multiplier", (float)((double)pb.Scale / y.Scale))]);
            return new Node(node.Name, "QAdd", [a, b], [name], attrs, OpRegistry.QuantuneDomain);
        }

        private Node Concat(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var inputs = node.Inputs.Select(i => Int8(i, node)).ToList();
            attrs.AddRange([node.FindAttribute("axis")!, Attribute.IntList("input_zero_points", [.. inputs.Select(i => (long)i.Params.ZeroPoint)]),
                Attribute.FloatList("input_multipliers", [.. inputs.Select(i => (float)((double)i.Params.Scale / y.Scale))])]);
            return new Node(node.Name, "QConcat", inputs.Select(i => i.Name), [name], attrs, OpRegistry.QuantuneDomain);
        }

        /// <summary>One multiplier per possible divisor 1 … kernel volume: without count_include_pad it varies per output element.</summary>
        private Node AveragePool(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var (x, px) = Int8(node.Inputs[0], node);
            long volume = node.FindAttribute("kernel_shape")!.Ints.Aggregate(1L, (p, k) => p * k);
            attrs.AddRange([Attribute.Int("x_zero_point", px.ZeroPoint),
                Attribute.FloatList("multipliers", [.. Enumerable.Range(1, (int)volume).Select(count => (float)((double)px.Scale / ((double)y.Scale * count)))])]);
            return new Node(node.Name, "QAveragePool", [x], [name], node.Attributes.Concat(attrs), OpRegistry.QuantuneDomain);
        }

        private Node GlobalAveragePool(Node node, string name, QuantParams y, List<Attribute> attrs)
        {
            var (x, px) = Int8(node.Inputs[0], node);
            long size = graph.TypeOf(node.Inputs[0]).Shape!.Dims.Skip(2).Aggregate(1L, (p, d) => p * d.Value);
            attrs.AddRange([Attribute.Int("x_zero_point", px.ZeroPoint), Attribute.Float("multiplier", (float)((double)px.Scale / ((double)y.Scale * size)))]);
            return new Node(node.Name, "QGlobalAveragePool", [x], [name], attrs, OpRegistry.QuantuneDomain);
        }
    }

    /// <summary>
    /// The float weights an int8 form quantizes, output channels first: Conv's W as it is, Gemm's alpha·B as
    /// [N, K] (transposed when transB = 0), MatMul's B transposed to [N, K]; null for layers without weights. The quantizer and the weight
    /// SQNR of the sensitivity analysis both read them here.
    /// </summary>
    public static Tensor? Weights(Graph graph, Node node)
    {
        switch (node.OpType)
        {
            case "Conv" or "FusedConv":
                return graph.Constants[node.Inputs[1]];
            case "Gemm" or "FusedGemm" or "MatMul":
            {
                var b = graph.Constants[node.Inputs[1]];
                bool transB = node.FindAttribute("transB")?.I is 1;
                float alpha = node.FindAttribute("alpha")?.F ?? 1f;
                int n = transB ? b.Dims[0] : b.Dims[1], k = transB ? b.Dims[1] : b.Dims[0];
                var w = new float[n * k];
                var bv = b.Floats;
                for (int j = 0; j < n; j++)
                    for (int p = 0; p < k; p++) w[j * k + p] = alpha * (transB ? bv[j * k + p] : bv[p * n + j]);
                return Tensor.FromFloats(w, n, k);
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// The inverse of <see cref="Weights"/>: <paramref name="weights"/> (output channels first) as the constant
    /// input 1 of <paramref name="node"/> expects it, e.g. to run the layer with its dequantized int8 weights.
    /// </summary>
    public static Tensor InNodeLayout(Graph graph, Node node, Tensor weights)
    {
        if (node.OpType is "Conv" or "FusedConv") return weights;
        var b = graph.Constants[node.Inputs[1]];
        bool transB = node.FindAttribute("transB")?.I is 1;
        float alpha = node.FindAttribute("alpha")?.F ?? 1f;
        int n = weights.Dims[0], k = weights.Dims[1];
        var w = weights.Floats;
        var r = new float[n * k];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) r[transB ? j * k + p : p * n + j] = alpha == 0 ? 0 : w[j * k + p] / alpha;
        return Tensor.FromFloats(r, b.Dims);
    }

    /// <summary>Gemm's beta·C as a per-output bias vector, or null when C is not a constant vector (or scalar).</summary>
    private static float[]? GemmBias(Graph graph, Node node)
    {
        var b = graph.Constants[node.Inputs[1]];
        if (b.Rank != 2) return null;
        int n = node.FindAttribute("transB")?.I is 1 ? b.Dims[0] : b.Dims[1];
        if (node.InputAt(2).Length == 0) return new float[n];
        if (!graph.Constants.TryGetValue(node.Inputs[2], out var c) || (c.Length != n && c.Length != 1) || (c.Rank == 2 && c.Dims[0] != 1)) return null;
        float beta = node.FindAttribute("beta")?.F ?? 1f;
        return Enumerable.Range(0, n).Select(j => beta * c.Floats[c.Length == 1 ? 0 : j]).ToArray();
    }

    /// <summary>Reads a node's attributes outside inference (a NodeContext without inputs).</summary>
    private sealed class AttributeReader(Node node) : NodeContext(node, 13);
}

/// <summary>The int8 form of an fp32 value in a quantized graph: the value's name there and its encoding.</summary>
public readonly record struct Int8Value(string Name, QuantParams Params);
