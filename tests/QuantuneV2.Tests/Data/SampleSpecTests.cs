using QuantuneV2.Data;
using StbImageSharp;

namespace QuantuneV2.Tests.Data;

/// <summary>The ready specs in samples/datasets over the shared Fashion-MNIST and ImageNet data.</summary>
public class SampleSpecTests
{
    private const float FmnistPad = -0.8101983f; // (0/255 - 0.2860) / 0.3530, the fmnist README's -0.81020

    private static readonly string RepoRoot = RepoPaths.Root;

    /// <summary>Loads samples/datasets/NAME with ${QUANTUNE_SHARED} = the shared folder the tests use.</summary>
    private static Dataset LoadSample(string name, string sharedFile)
    {
        SharedData.Require(sharedFile);
        var spec = Path.Combine(RepoRoot, "samples", "datasets", name);
        return Dataset.Load(spec, v => v == "QUANTUNE_SHARED" ? SharedData.Root : Environment.GetEnvironmentVariable(v), RepoRoot);
    }

    [Fact]
    public void FashionMnistCalibHasThe500TrainImagesAndLabels()
    {
        var labels = File.ReadAllBytes(SharedData.Require("data/fashion-mnist/calib-500-labels.u8"));
        var raw = File.ReadAllBytes(SharedData.Require("data/fashion-mnist/calib-500.u8"));
        var d = LoadSample("fashion-mnist-calib.json", "data/fashion-mnist/calib-500.u8");

        Assert.Equal(500, d.Count);
        Assert.Equal([1, 1, 32, 32], d.SampleDims);
        Assert.True(d.HasLabels);
        Assert.Equal(labels.Select(b => (int)b), Enumerable.Range(0, 500).Select(d.Label));
        Assert.Equal([7, 7, 1, 7, 4], Enumerable.Range(0, 5).Select(d.Label));

        // Image 499, pixel (row 14, col 14) lands at (16, 16) after the 2-pixel pad.
        var x = d.LoadInput(499).Floats;
        Assert.Equal(207, raw[499 * 784 + 14 * 28 + 14]);
        Assert.Equal((207 / 255.0 - 0.2860) / 0.3530, x[16 * 32 + 16], 6);
    }

    [Fact]
    public void FashionMnistTestHasTenThousandImagesPaddedAndNormalised()
    {
        var d = LoadSample("fashion-mnist-test.json", "data/fashion-mnist/t10k-images.u8");

        Assert.Equal(10000, d.Count);
        Assert.Equal("[1,1,32,32]", d.SampleShape);
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], Enumerable.Range(0, 10).Select(d.Label));
        Assert.Equal("t10k-images.u8[0]", d.Describe(0));

        var x = d.LoadInput(0).Floats;
        // Every pixel of the 2-wide border is the pad: raw 0 normalised.
        for (int y = 0; y < 32; y++)
            for (int c = 0; c < 32; c++)
                if (y < 2 || y >= 30 || c < 2 || c >= 30) Assert.Equal(FmnistPad, x[y * 32 + c], 5);
        // Test image 0 has raw 110 at (14, 14); PyTorch's float32 (110/255 - 0.2860)/0.3530 is 0.41182023.
        Assert.Equal(0.41182023f, x[16 * 32 + 16], 6);
    }

    [Fact]
    public void PublicLoadFindsSharedBesideTheRepository()
    {
        SharedData.Require("data/fashion-mnist/t10k-images.u8");
        // As the eval script does: the real environment and current directory (the test binaries, inside the repository).
        var d = Dataset.Load(Path.Combine(RepoRoot, "samples", "datasets", "fashion-mnist-test.json"));
        Assert.Equal(10000, d.Count);
    }

    [Fact]
    public void ImageNetCalibIsImages0To99LabelledByIndex()
    {
        var d = LoadSample("imagenet-samples-calib.json", "data/imagenet-samples/images");
        Assert.Equal(100, d.Count);
        Assert.Equal([1, 3, 224, 224], d.SampleDims);
        Assert.Equal(Enumerable.Range(0, 100), Enumerable.Range(0, 100).Select(d.Label));
        Assert.Equal("0000.jpg", d.Describe(0));
        Assert.Equal("0099.jpg", d.Describe(99));
    }

    [Fact]
    public void ImageNetEvalIsImages100To999AndDisjointFromCalib()
    {
        var eval = LoadSample("imagenet-samples-eval.json", "data/imagenet-samples/images");
        var calib = LoadSample("imagenet-samples-calib.json", "data/imagenet-samples/images");
        Assert.Equal(900, eval.Count);
        Assert.Equal(100, eval.Label(0));
        Assert.Equal(999, eval.Label(899));
        Assert.Equal("0100.jpg", eval.Describe(0));

        var evalFiles = Enumerable.Range(0, eval.Count).Select(eval.Describe).ToHashSet();
        var calibFiles = Enumerable.Range(0, calib.Count).Select(calib.Describe).ToHashSet();
        Assert.Empty(evalFiles.Intersect(calibFiles));
        Assert.Equal(1000, evalFiles.Union(calibFiles).Count());
    }

    [Fact]
    public void ImageNetInputIsBgrMinusCaffeMean()
    {
        var file = SharedData.Require("data/imagenet-samples/images/0000.jpg");
        var d = LoadSample("imagenet-samples-calib.json", "data/imagenet-samples/images");
        var x = d.LoadInput(0).Floats;
        var rgb = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlue).Data;
        const int plane = 224 * 224;

        // Pixel 0: channel 0 is blue. PIL decodes it as RGB (74, 89, 84); decoders may differ by 1.
        Assert.Equal(rgb[2] - 104f, x[0]);
        Assert.Equal(rgb[1] - 117f, x[plane]);
        Assert.Equal(rgb[0] - 123f, x[2 * plane]);
        Assert.InRange(x[0], 84 - 104 - 1, 84 - 104 + 1);
        Assert.InRange(x[2 * plane], 74 - 123 - 1, 74 - 123 + 1);

        float[] mean = [104, 117, 123];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < plane; p++)
                Assert.Equal(rgb[p * 3 + 2 - c] - mean[c], x[c * plane + p]);
    }

    [Fact]
    public void ParallelLoadsEqualSequentialLoads()
    {
        var images = LoadSample("imagenet-samples-calib.json", "data/imagenet-samples/images");
        var raw = LoadSample("fashion-mnist-test.json", "data/fashion-mnist/t10k-images.u8");
        foreach (var (d, n) in new[] { (images, 16), (raw, 256) })
        {
            var sequential = Enumerable.Range(0, n).Select(i => d.LoadInput(i).Floats.ToArray()).ToArray();
            var parallel = new float[n][];
            Parallel.For(0, n, i =>
            {
                parallel[i] = new float[d.SampleLength];
                d.LoadInput(i, parallel[i]);
            });
            for (int i = 0; i < n; i++) Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
