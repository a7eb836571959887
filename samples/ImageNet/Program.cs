using System.Reflection;
using Samples;
using StbImageSharp;

// The images are the shared ImageNet samples: NNNN.jpg is of class NNNN. 0000-0099 calibrated the model at build
// time; the other 900 are evaluated here.
var shared = typeof(SqueezeNet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "QuantuneShared").Value!;
var images = Path.Combine(shared, "data", "imagenet-samples", "images");
Console.WriteLine($"{typeof(SqueezeNet).FullName}: {SqueezeNet.LayerCount} layers, {SqueezeNet.Int8LayerCount} int8, fp32: {string.Join(", ", SqueezeNet.Fp32Layers)}");

var input = new float[SqueezeNet.InputLength];
var mixed = new float[SqueezeNet.OutputLength];
var fp32 = new float[SqueezeNetFp32.OutputLength];
int count = 0, mixedCorrect = 0, fp32Correct = 0, agree = 0;
for (int label = 100; label < 1000; label++)
{
    Preprocess(Path.Combine(images, $"{label:D4}.jpg"), input);
    SqueezeNet.Infer(input, mixed);
    SqueezeNetFp32.Infer(input, fp32);
    int a = ArgMax(mixed), b = ArgMax(fp32);
    count++;
    mixedCorrect += a == label ? 1 : 0;
    fp32Correct += b == label ? 1 : 0;
    agree += a == b ? 1 : 0;
}
Console.WriteLine($"top-1 on {count} ImageNet sample images: mixed int8/fp32 {(double)mixedCorrect / count:F4}, fp32 {(double)fp32Correct / count:F4}, same class {(double)agree / count:F4}");

// As the calibration spec says: BGR, 0..255 minus the per-channel means (104, 117, 123), NCHW; the images are 224×224.
static void Preprocess(string path, float[] x)
{
    var image = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);
    int plane = image.Width * image.Height;
    if (plane * 3 != x.Length) throw new InvalidDataException($"{path}: {image.Width}x{image.Height}, expected 224x224");
    ReadOnlySpan<float> mean = [104f, 117f, 123f];
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < plane; i++)
            x[c * plane + i] = image.Data[i * 3 + (2 - c)] - mean[c];
}

// The lower index wins a tie, as everywhere in QuantuneV2.
static int ArgMax(float[] y)
{
    int best = 0;
    for (int i = 1; i < y.Length; i++) if (y[i] > y[best]) best = i;
    return best;
}
