using System.Diagnostics;

// ZooModel is the class generated at build time from the chosen quantized model (obj/.../quantune/*.program.txt),
// e.g. Samples.ResNet18 (Zoo.csproj picks it from -p:ZooModel).
Console.WriteLine($"{typeof(ZooModel).FullName} from {ZooModel.ModelFile}: {ZooModel.LayerCount} layers, {ZooModel.Int8LayerCount} int8, fp32: {string.Join(", ", ZooModel.Fp32Layers)}");
Console.WriteLine($"input {string.Join("x", ZooModel.InputShape.ToArray())}, output {string.Join("x", ZooModel.OutputShape.ToArray())}, {ZooModel.Macs / 1e9:F2} G MACs");

// A seeded synthetic image (the zoo's weights are seeded too, so the classes mean nothing; the numbers are reproducible).
var random = new Random(7);
var image = new float[ZooModel.InputLength];
for (int i = 0; i < image.Length; i++) image[i] = (float)(random.NextDouble() * 2 - 1);
var logits = new float[ZooModel.OutputLength];

var clock = Stopwatch.StartNew();
ZooModel.Infer(image, logits);
Console.WriteLine($"first inference (loads the weights): {clock.Elapsed.TotalMilliseconds:F0} ms");
// The JIT optimizes the hot code over the first calls: time ten more and take the median (docs/benchmarks.md has real benchmarks).
var times = new double[10];
for (int i = 0; i < times.Length; i++)
{
    clock.Restart();
    ZooModel.Infer(image, logits);
    times[i] = clock.Elapsed.TotalMilliseconds;
}
double ms = times.Order().ElementAt(times.Length / 2);
Console.WriteLine($"median of {times.Length} more inferences: {ms:F1} ms ({ZooModel.Macs / ms / 1e6:F1} G MAC/s, one thread)");
var top = logits.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Take(5);
Console.WriteLine($"top-5 classes: {string.Join(", ", top.Select(p => $"{p.i} ({p.v:F2})"))}");
