using System.Diagnostics;
using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

// The main job of the repository today: a model the project generates itself, written as ONNX,
// loaded back through the front end and run by the fp32 reference executor. The quantized,
// generated-code sample replaces this once the MSBuild integration and the generator land.
var name = args.Length > 0 ? args[0] : "resnet18";
try
{
    var path = Path.Combine(Path.GetTempPath(), $"quantune-quickstart-{name}.onnx");
    var clock = Stopwatch.StartNew();
    ModelZoo.Save(name, path);
    Console.WriteLine($"built {name} from the zoo and wrote {path} ({new FileInfo(path).Length / 1e6:F1} MB) in {clock.Elapsed.TotalSeconds:F1} s");

    var graph = OnnxModel.Load(path).WithBatch(1);
    long macs = graph.Nodes.Sum(n => LayerCost.Of(graph, n).Macs);
    var session = new Session(graph);
    var image = ModelZoo.SyntheticImages(1, seed: 7);
    session.Run(image);
    const int runs = 10;
    clock.Restart();
    float[] logits = [];
    for (int i = 0; i < runs; i++) logits = session.Run(image).ToFloatArray();
    double ms = clock.Elapsed.TotalMilliseconds / runs;
    Console.WriteLine($"fp32 executor, one thread: {ms:F1} ms per image ({macs / 1e9:F2} G MACs, {macs / ms / 1e6:F1} G MAC/s)");
    var top = logits.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Take(5);
    Console.WriteLine($"top-5 classes of a synthetic image (untrained weights): {string.Join(", ", top.Select(p => $"{p.i} ({p.v:F2})"))}");
    File.Delete(path);
    return 0;
}
catch (QuantuneException e)
{
    Console.Error.WriteLine(e.ToString());
    return 1;
}
