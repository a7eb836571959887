using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;

namespace QuantuneV2.Zoo;

/// <summary>What the zoo knows about one model: the architecture and its published size.</summary>
/// <param name="Name">The name <see cref="ModelZoo.Build"/> takes.</param>
/// <param name="Architecture">The published architecture it reproduces (torchvision's name).</param>
/// <param name="PublishedParameters">Trainable parameters of that architecture: conv/linear weights and biases plus BN gamma/beta (running statistics are not parameters).</param>
/// <param name="PublishedGMacs">Multiply-accumulates per 224×224 image, in billions, as torchvision reports them (its "GFLOPS" column counts MACs).</param>
public sealed record ZooModelInfo(string Name, string Architecture, long PublishedParameters, double PublishedGMacs);

/// <summary>
/// The QuantuneV2 paper's five topologies at ImageNet size (input "input" float [N,3,224,224],
/// output "logits" [N,1000], opset 13) with untrained, seeded weights and BatchNorm statistics
/// measured on synthetic images. Accuracy is meaningless; they exist so samples, tests and
/// benchmarks work on a machine without downloaded models. See docs/zoo.md.
/// </summary>
public static class ModelZoo
{
    private sealed record Entry(ZooModelInfo Info, Func<GraphBuilder, Value> Topology);

    private static readonly Entry[] Entries =
    [
        new(new("resnet18", "resnet18", 11_689_512, 1.81), ResNet.ResNet18),
        new(new("resnet50", "resnet50 (v1.5)", 25_557_032, 4.09), ResNet.ResNet50),
        new(new("squeezenet1.1", "squeezenet1_1", 1_235_496, 0.35), SqueezeNet.SqueezeNet11),
        new(new("vgg16", "vgg16_bn", 138_365_992, 15.47), Vgg.Vgg16Bn),
        new(new("mobilenetv2", "mobilenet_v2", 3_504_872, 0.30), MobileNetV2.Build),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Info.Name).ToArray();

    public static ZooModelInfo Info(string name) => Find(name).Info;

    /// <summary>
    /// Builds the model: same name and seed, same graph, byte for byte. Takes seconds (one
    /// executor pass over <see cref="SyntheticImages"/> measures the BN statistics).
    /// </summary>
    public static Graph Build(string name, int seed = 0)
    {
        var entry = Find(name);
        var builder = new GraphBuilder(entry.Info.Name, seed);
        var logits = entry.Topology(builder);
        Calibration.Run(builder.ToGraph(logits), builder.BatchNorms, builder.Classifier, seed);
        // Re-created after calibration wrote the statistics and scaled the classifier in place.
        return builder.ToGraph(logits);
    }

    /// <summary>Builds the model and writes it as an ONNX file (atomically).</summary>
    public static void Save(string name, string path, int seed = 0) => OnnxModel.Save(Build(name, seed), path);

    /// <summary>Seeded smooth random images shaped like normalized ImageNet input, [count, 3, 224, 224].</summary>
    public static Tensor SyntheticImages(int count, int seed) => Zoo.SyntheticImages.Create(count, seed);

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Info.Name == name)
        ?? throw new QuantuneException(DiagnosticCode.ZooUnknownModel, $"there is no zoo model '{name}'; the zoo has: {string.Join(", ", Names)}");
}
