using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Zoo;

public class ModelZooTests
{
    [Fact]
    public void NamesAreThePapersFiveTopologies() =>
        Assert.Equal(["resnet18", "resnet50", "squeezenet1.1", "vgg16", "mobilenetv2"], ModelZoo.Names);

    [Fact]
    public void UnknownNameIsReportedWithTheKnownNames()
    {
        var e = Assert.Throws<QuantuneException>(() => ModelZoo.Build("alexnet"));
        Assert.Equal(DiagnosticCode.ZooUnknownModel, e.Code);
        Assert.Contains("'alexnet'", e.Message);
        Assert.All(ModelZoo.Names, n => Assert.Contains(n, e.Message));
        Assert.Equal(DiagnosticCode.ZooUnknownModel, Assert.Throws<QuantuneException>(() => ModelZoo.Info("ResNet18")).Code);
    }

    /// <summary>The seed drives everything random; SqueezeNet stands for all five (same builder and calibration code).</summary>
    [Fact]
    public void DifferentSeedGivesADifferentModelOfTheSameStructure()
    {
        var a = ModelZoo.Build("squeezenet1.1", seed: 0);
        var b = ModelZoo.Build("squeezenet1.1", seed: 1);
        Assert.False(OnnxModel.ToBytes(a).AsSpan().SequenceEqual(OnnxModel.ToBytes(b)));
        Assert.All(a.InitializerList, kv => Assert.False(kv.Value.ContentEquals(b.Initializers[kv.Key]), $"{kv.Key} ignores the seed"));
        Assert.Equal(a.Dump().Replace("seed 0", "", StringComparison.Ordinal), b.Dump().Replace("seed 1", "", StringComparison.Ordinal));
    }

    /// <summary>
    /// Pins the random streams bit for bit, so a seed keeps giving the same weights on every .NET
    /// version and OS: SplitMix64 + polar normals use only IEEE-exact arithmetic. These are the
    /// first values of resnet18's conv1.weight (He std √(2/147)) for seed 0.
    /// </summary>
    [Fact]
    public void RandomStreamsArePinned()
    {
        var values = new float[4];
        new ZooRandom(0, "conv1.weight").FillNormal(values, 0, Math.Sqrt(2.0 / 147));
        Assert.Equal([unchecked((int)0xBDBF7C47), 0x3AB665E8, unchecked((int)0xBDCFAF9F), 0x3D8BFECA], values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void NormalsHaveUnitMomentsAndStreamsAreIndependent()
    {
        var a = new ZooRandom(3, "a");
        var b = new ZooRandom(3, "b");
        const int Count = 200_000;
        double sum = 0, squares = 0, cross = 0;
        for (int i = 0; i < Count; i++)
        {
            double x = a.NextNormal(), y = b.NextNormal();
            sum += x;
            squares += x * x;
            cross += x * y;
        }
        Assert.InRange(sum / Count, -0.01, 0.01);
        Assert.InRange(squares / Count, 0.98, 1.02);
        Assert.InRange(cross / Count, -0.01, 0.01);
    }

    [Fact]
    public void OwnLogarithmMatchesMathLog()
    {
        var r = new ZooRandom(0, "log");
        for (int i = 0; i < 10_000; i++)
        {
            // Spread over many binades: the polar method's s lies in (0, 1), mostly near its top.
            double x = Math.ScaleB(1 + r.NextUniform(), -(int)(r.NextBits() % 100));
            double expected = Math.Log(x);
            Assert.True(Math.Abs(ZooRandom.Log(x) - expected) <= 4e-16 * Math.Max(1, Math.Abs(expected)), $"ln({x:R}) = {ZooRandom.Log(x):R}, Math.Log says {expected:R}");
        }
        Assert.Equal(0, ZooRandom.Log(1));
    }

    [Fact]
    public void SyntheticImagesLookLikeNormalizedPhotos()
    {
        var images = ModelZoo.SyntheticImages(2, seed: 0);
        Assert.Equal([2, 3, 224, 224], images.Dims);
        Assert.True(images.ContentEquals(ModelZoo.SyntheticImages(2, seed: 0)));
        var x = images.Floats;
        double mean = 0, squares = 0, neighbours = 0;
        for (int i = 0; i < x.Length; i++) mean += x[i];
        mean /= x.Length;
        for (int i = 0; i < x.Length; i++)
        {
            squares += (x[i] - mean) * (x[i] - mean);
            if (i % 224 != 223) neighbours += (x[i] - mean) * (x[i + 1] - mean);
        }
        double variance = squares / x.Length, correlation = neighbours / (x.Length * 223.0 / 224) / variance;
        Assert.InRange(mean, -0.5, 0.5);
        Assert.InRange(variance, 0.7, 1.5);
        // Smooth: horizontally adjacent pixels are strongly correlated, as in photos.
        Assert.InRange(correlation, 0.9, 1);
    }
}
