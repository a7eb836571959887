using QuantuneV2.Core.IR;

namespace QuantuneV2.Zoo;

/// <summary>An activation while a topology is being written: its value name and per-image [C, H, W].</summary>
internal readonly record struct Value(string Name, int Channels, int Height, int Width);

/// <summary>A BatchNormalization whose running statistics are measured once the graph exists.</summary>
internal sealed record BatchNormStatistics(string Input, Tensor Mean, Tensor Variance);

/// <summary>
/// Writes an ImageNet classifier one layer at a time: each method adds a node named as given (its
/// output value takes the same name), creates the layer's seeded parameters and returns the new
/// activation. Parameters follow PyTorch naming (`conv1.weight`, `bn1.running_mean`).
/// </summary>
internal sealed class GraphBuilder
{
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const int ImageSize = 224;
    public const int Classes = 1000;

    // Gamma/beta are small perturbations around 1/0 so BN folding has non-trivial work; biases stay small.
    private const double GammaBetaStd = 0.1;
    private const double BiasStd = 0.02;
    private const float BatchNormEpsilon = 1e-5f;

    private readonly int _seed;
    private readonly List<Node> _nodes = [];
    private readonly List<KeyValuePair<string, Tensor>> _initializers = [];
    private readonly List<BatchNormStatistics> _batchNorms = [];
    private (string Min, string Max)? _relu6Bounds;

    public GraphBuilder(string name, int seed)
    {
        Name = name;
        _seed = seed;
        Input = new Value(InputName, 3, ImageSize, ImageSize);
    }

    public string Name { get; }
    public Value Input { get; }
    public IReadOnlyList<BatchNormStatistics> BatchNorms => _batchNorms;
    /// <summary>Weight and bias of the last Conv/Gemm added: the classifier whose scale sets the logit spread.</summary>
    public IReadOnlyList<Tensor> Classifier { get; private set; } = [];

    public Value Conv(Value x, string name, int outChannels, int kernel, int stride = 1, int pad = 0, int groups = 1, bool bias = false)
    {
        int fanIn = x.Channels / groups * kernel * kernel;
        List<string> inputs = [x.Name, $"{name}.weight"];
        List<Tensor> parameters = [HeNormal(inputs[1], fanIn, outChannels, x.Channels / groups, kernel, kernel)];
        if (bias)
        {
            inputs.Add($"{name}.bias");
            parameters.Add(Normal(inputs[2], 0, BiasStd, outChannels));
        }
        Classifier = parameters;
        Emit("Conv", name, inputs,
        [
            Core.IR.Attribute.IntList("dilations", [1, 1]),
            Core.IR.Attribute.Int("group", groups),
            Core.IR.Attribute.IntList("kernel_shape", [kernel, kernel]),
            Core.IR.Attribute.IntList("pads", [pad, pad, pad, pad]),
            Core.IR.Attribute.IntList("strides", [stride, stride]),
        ]);
        return new Value(name, outChannels, OutputSize(x.Height, kernel, stride, pad, ceil: false), OutputSize(x.Width, kernel, stride, pad, ceil: false));
    }

    public Value BatchNorm(Value x, string name)
    {
        int c = x.Channels;
        var mean = Tensor.Zeros(DataType.Float, c);
        var variance = Tensor.FromFloats(Enumerable.Repeat(1f, c).ToArray(), c);
        _batchNorms.Add(new BatchNormStatistics(x.Name, mean, variance));
        Normal($"{name}.weight", 1, GammaBetaStd, c);
        Normal($"{name}.bias", 0, GammaBetaStd, c);
        _initializers.Add(new($"{name}.running_mean", mean));
        _initializers.Add(new($"{name}.running_var", variance));
        Emit("BatchNormalization", name, [x.Name, $"{name}.weight", $"{name}.bias", $"{name}.running_mean", $"{name}.running_var"],
            [Core.IR.Attribute.Float("epsilon", BatchNormEpsilon)]);
        return x with { Name = name };
    }

    /// <summary>Conv followed by BatchNormalization, the unit every BN topology repeats.</summary>
    public Value ConvBn(Value x, string conv, string bn, int outChannels, int kernel, int stride = 1, int pad = 0, int groups = 1) =>
        BatchNorm(Conv(x, conv, outChannels, kernel, stride, pad, groups), bn);

    public Value Relu(Value x, string name)
    {
        Emit("Relu", name, [x.Name], []);
        return x with { Name = name };
    }

    /// <summary>ReLU6 as Clip(x, 0, 6) with min/max from Constant nodes, as PyTorch exports it.</summary>
    public Value Relu6(Value x, string name)
    {
        _relu6Bounds ??= (Constant("relu6.min", 0f), Constant("relu6.max", 6f));
        Emit("Clip", name, [x.Name, _relu6Bounds.Value.Min, _relu6Bounds.Value.Max], []);
        return x with { Name = name };
    }

    public Value MaxPool(Value x, string name, int kernel, int stride, int pad = 0, bool ceil = false)
    {
        List<Core.IR.Attribute> attributes =
        [
            Core.IR.Attribute.IntList("kernel_shape", [kernel, kernel]),
            Core.IR.Attribute.IntList("pads", [pad, pad, pad, pad]),
            Core.IR.Attribute.IntList("strides", [stride, stride]),
        ];
        if (ceil) attributes.Add(Core.IR.Attribute.Int("ceil_mode", 1));
        Emit("MaxPool", name, [x.Name], attributes);
        return x with { Name = name, Height = OutputSize(x.Height, kernel, stride, pad, ceil), Width = OutputSize(x.Width, kernel, stride, pad, ceil) };
    }

    public Value AveragePool(Value x, string name, int kernel, int stride, int pad = 0, bool countIncludePad = false)
    {
        Emit("AveragePool", name, [x.Name],
        [
            Core.IR.Attribute.Int("count_include_pad", countIncludePad ? 1 : 0),
            Core.IR.Attribute.IntList("kernel_shape", [kernel, kernel]),
            Core.IR.Attribute.IntList("pads", [pad, pad, pad, pad]),
            Core.IR.Attribute.IntList("strides", [stride, stride]),
        ]);
        return x with { Name = name, Height = OutputSize(x.Height, kernel, stride, pad, ceil: false), Width = OutputSize(x.Width, kernel, stride, pad, ceil: false) };
    }

    public Value GlobalAveragePool(Value x, string name)
    {
        Emit("GlobalAveragePool", name, [x.Name], []);
        return x with { Name = name, Height = 1, Width = 1 };
    }

    /// <summary>[N, C, H, W] → [N, C·H·W]; the result has C·H·W channels of size 1×1.</summary>
    public Value Flatten(Value x, string name, string? output = null)
    {
        Emit("Flatten", name, [x.Name], [Core.IR.Attribute.Int("axis", 1)], output);
        return new Value(output ?? name, x.Channels * x.Height * x.Width, 1, 1);
    }

    /// <summary>A fully connected layer: Gemm(x, W[out, in]ᵀ, b), as PyTorch's Linear exports.</summary>
    public Value Gemm(Value x, string name, int outFeatures, string? output = null)
    {
        int inFeatures = x.Channels * x.Height * x.Width;
        Classifier = [HeNormal($"{name}.weight", inFeatures, outFeatures, inFeatures), Normal($"{name}.bias", 0, BiasStd, outFeatures)];
        Emit("Gemm", name, [x.Name, $"{name}.weight", $"{name}.bias"], [Core.IR.Attribute.Int("transB", 1)], output);
        return new Value(output ?? name, outFeatures, 1, 1);
    }

    public Value Add(Value a, Value b, string name)
    {
        Emit("Add", name, [a.Name, b.Name], []);
        return a with { Name = name };
    }

    public Value Concat(string name, params Value[] xs)
    {
        Emit("Concat", name, xs.Select(x => x.Name), [Core.IR.Attribute.Int("axis", 1)]);
        return xs[0] with { Name = name, Channels = xs.Sum(x => x.Channels) };
    }

    /// <summary>Dropout with its ratio as a Constant input (opset ≥ 12); the identity at inference.</summary>
    public Value Dropout(Value x, string name, float ratio)
    {
        Emit("Dropout", name, [x.Name, Constant($"{name}.ratio", ratio)], []);
        return x with { Name = name };
    }

    /// <summary>The graph so far, validated and shape-inferred, with a symbolic batch "N" and <paramref name="output"/> as its output.</summary>
    public Graph ToGraph(Value output)
    {
        var model = new ModelInfo
        {
            ProducerName = "QuantuneV2.Zoo",
            DocString = $"{Name}: untrained, seeded weights (seed {_seed}) with BatchNorm statistics measured on synthetic images. Accuracy is meaningless.",
            OpsetImports = [new OpsetImport("", 13)],
            Metadata = [new("quantune.zoo.model", Name), new("quantune.zoo.seed", _seed.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        var batch = Dim.Symbol("N");
        var input = new ValueInfo(InputName, new TensorType(DataType.Float, new Shape([batch, Dim.Of(3), Dim.Of(ImageSize), Dim.Of(ImageSize)])));
        var logits = new ValueInfo(output.Name, new TensorType(DataType.Float, new Shape([batch, Dim.Of(output.Channels)])));
        return Graph.Create(Name, model, [input], [logits], _nodes, _initializers);
    }

    private void Emit(string opType, string name, IEnumerable<string> inputs, IEnumerable<Core.IR.Attribute> attributes, string? output = null) =>
        _nodes.Add(new Node(name, opType, inputs, [output ?? name], attributes));

    private string Constant(string name, float value)
    {
        Emit("Constant", name, [], [Core.IR.Attribute.TensorValue("value", Tensor.FromFloats([value]))]);
        return name;
    }

    /// <summary>He (Kaiming) normal initialization for a ReLU network: N(0, 2/fan_in).</summary>
    private Tensor HeNormal(string name, int fanIn, params int[] dims) => Normal(name, 0, Math.Sqrt(2.0 / fanIn), dims);

    /// <summary>A new initializer of N(mean, std²) values from the stream named after it.</summary>
    private Tensor Normal(string name, double mean, double std, params int[] dims)
    {
        var t = Tensor.Zeros(DataType.Float, dims);
        new ZooRandom(_seed, name).FillNormal(t.Floats, mean, std);
        _initializers.Add(new(name, t));
        return t;
    }

    /// <summary>Output length of a window op; ceil mode as PyTorch: the last window must start inside the input or its left pad.</summary>
    private static int OutputSize(int size, int kernel, int stride, int pad, bool ceil)
    {
        int span = size + 2 * pad - kernel;
        int n = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        return ceil && (n - 1) * stride >= size + pad ? n - 1 : n;
    }
}
