using System.Diagnostics;
using System.Globalization;
using QuantuneV2.Core.Analysis;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune zoo NAME -o FILE.onnx`: writes one of the paper's topologies with seeded weights.</summary>
internal static class ZooCommand
{
    public static readonly CommandSpec Spec = new("zoo", $"Write one of the paper's CNNs ({string.Join(", ", ModelZoo.Names)}) at ImageNet size (1x3x224x224 -> 1000) with seeded weights, as ONNX.", "NAME -o FILE.onnx",
        [new OptionSpec("output", "FILE.onnx", "where to write the model", 'o'), new OptionSpec("seed", "N", "weight seed (default 0)")], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var output = args.Value("output") ?? throw ParsedArgs.Usage("zoo needs -o FILE.onnx");
        var name = args.Positionals[0];
        var clock = Stopwatch.StartNew();
        var graph = ModelZoo.Build(name, args.Int("seed", 0, min: 0));
        OnnxModel.Save(graph, output);
        long parameters = graph.Nodes.Sum(n => LayerCost.Of(graph, n).Parameters);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {name}, {graph.Nodes.Length} nodes, {parameters:N0} parameters, {new FileInfo(output).Length / 1e6:F1} MB, in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
