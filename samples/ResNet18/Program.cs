using System.Diagnostics;
using Samples;

// The class was generated at build time from the quantized model (obj/.../quantune/ResNet18.program.txt).
Console.WriteLine($"{ResNet18.ModelFile}: {ResNet18.LayerCount} layers, {ResNet18.Int8LayerCount} int8, fp32: {string.Join(", ", ResNet18.Fp32Layers)}");
Console.WriteLine($"input {string.Join("x", ResNet18.InputShape.ToArray())}, output {string.Join("x", ResNet18.OutputShape.ToArray())}, {ResNet18.Macs / 1e9:F2} G MACs");

// A seeded synthetic image (the zoo's weights are seeded too, so the classes mean nothing; the numbers are reproducible).
var random = new Random(7);
var image = new float[ResNet18.InputLength];
for (int i = 0; i < image.Length; i++) image[i] = (float)(random.NextDouble() * 2 - 1);
var logits = new float[ResNet18.OutputLength];

var clock = Stopwatch.StartNew();
ResNet18.Infer(image, logits);
Console.WriteLine($"first inference (loads the weights): {clock.Elapsed.TotalMilliseconds:F0} ms");
clock.Restart();
ResNet18.Infer(image, logits);
double ms = clock.Elapsed.TotalMilliseconds;
Console.WriteLine($"second inference: {ms:F0} ms ({ResNet18.Macs / ms / 1e6:F1} G MAC/s, one thread)");
var top = logits.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Take(5);
Console.WriteLine($"top-5 classes: {string.Join(", ", top.Select(p => $"{p.i} ({p.v:F2})"))}");
