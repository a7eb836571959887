using System.Globalization;
using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune inspect MODEL`: ops, parameters, MACs and shapes per layer.</summary>
internal static class InspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "Show a model's inputs, outputs, ops, and per-layer shapes, parameters and MACs.", "MODEL",
        [new OptionSpec("dump", null, "print the full graph in the stable text form instead of the table")], 1, Run);

    private static int Run(ParsedArgs args)
    {
        var path = args.Positionals[0];
        var graph = OnnxModel.Load(path);
        if (args.Has("dump"))
        {
            Console.Write(graph.Dump());
            return 0;
        }
        var costs = graph.Nodes.Select(n => LayerCost.Of(graph, n)).ToList();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model    {path}");
        Console.WriteLine($"graph    \"{graph.Name}\", ai.onnx opset {graph.Opset}, IR {graph.Model.IrVersion}{(graph.Model.ProducerName.Length > 0 ? $", from {graph.Model.ProducerName} {graph.Model.ProducerVersion}" : "")}");
        foreach (var i in graph.Inputs) Console.WriteLine($"input    {i}");
        foreach (var o in graph.Outputs) Console.WriteLine($"output   {o}");
        var ops = graph.Nodes.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine($"nodes    {graph.Nodes.Length}: {string.Join(", ", ops)}");
        Console.WriteLine(string.Create(inv, $"params   {costs.Sum(c => c.Parameters):N0}"));
        Console.WriteLine(string.Create(inv, $"MACs     {costs.Sum(c => c.Macs):N0} per sample ({costs.Sum(c => c.Macs) / 1e6:F1} M)"));
        Console.WriteLine();

        var rows = graph.Nodes.Select((n, k) => new[]
        {
            k.ToString(inv), n.DisplayName, n.OpType,
            string.Join(" ", n.Outputs.Where(o => o.Length > 0).Select(o => graph.TypeOf(o).ToString())),
            costs[k].Parameters.ToString("N0", inv), costs[k].Macs.ToString("N0", inv),
        }).ToList();
        Table.Print(["#", "layer", "op", "output", "params", "MACs"], rows, rightAligned: [0, 4, 5]);
        return 0;
    }
}
