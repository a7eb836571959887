using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.RealModels;

/// <summary>Our fp32 executor against ONNX Runtime on the shared real models, on seeded random inputs.</summary>
public class OrtAgreementTests
{
    public static TheoryData<string> Models() =>
    [
        "models/imagenet/squeezenet1.1.onnx",
        "models/fmnist/resnet18.onnx", "models/fmnist/resnet18.bn.onnx",
        "models/fmnist/vgg16.onnx", "models/fmnist/vgg16.bn.onnx",
        "models/fmnist/mobilenetv2.onnx", "models/fmnist/mobilenetv2.bn.onnx",
        "models/fmnist/squeezenet1.1.onnx",
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void OutputsMatchOnnxRuntime(string relative)
    {
        var path = SharedData.Require(relative);
        var graph = OnnxModel.Load(path).WithBatch(2);
        var session = new Session(graph);
        using var ort = new OrtRunner(path);
        var dims = graph.Inputs[0].Type.Shape!.ToInts();
        var rng = new Random(42);
        for (int trial = 0; trial < 2; trial++)
        {
            var x = new float[dims.Aggregate(1, (p, d) => p * d)];
            // ImageNet SqueezeNet takes 0..255 minus mean; the Fashion-MNIST models take normalised pixels.
            float scale = relative.Contains("imagenet") ? 60f : 1f;
            for (int i = 0; i < x.Length; i++) x[i] = scale * (float)(rng.NextDouble() * 2 - 1);
            var ours = session.Run(Tensor.FromFloats(x, dims)).ToFloatArray();
            var theirs = relative.Contains("imagenet") ? RunOrtPerSample(ort, x, dims) : ort.Run(x, dims);
            Assert.Equal(theirs.Length, ours.Length);
            float maxAbs = theirs.Max(MathF.Abs), maxDiff = 0;
            for (int i = 0; i < ours.Length; i++) maxDiff = MathF.Max(maxDiff, MathF.Abs(ours[i] - theirs[i]));
            Assert.True(maxDiff <= 1e-4f * maxAbs, $"{relative}: max |ours − ORT| = {maxDiff:E3}, max |ORT| = {maxAbs:E3}");
        }
    }

    // The ImageNet model has a static batch of 1: run ORT sample by sample.
    private static float[] RunOrtPerSample(OrtRunner ort, float[] x, int[] dims)
    {
        int per = x.Length / dims[0];
        var one = (int[])dims.Clone();
        one[0] = 1;
        return Enumerable.Range(0, dims[0]).SelectMany(n => ort.Run(x[(n * per)..((n + 1) * per)], one)).ToArray();
    }
}
