using System.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Zoo;

/// <summary>What every zoo model must satisfy; one concrete class per model below.</summary>
public abstract class ZooModelTests<TFixture>(TFixture model, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : ZooModelFixture
{
    private ZooModelInfo Info => ModelZoo.Info(model.Name);

    /// <summary>
    /// Counted: every initializer except BatchNormalization running mean/variance, i.e. conv and
    /// linear weights and biases plus BN gamma/beta — what torchvision's parameters() holds.
    /// </summary>
    [Fact]
    public void HasThePublishedParameterCount()
    {
        var statistics = model.Graph.Nodes.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Inputs.Skip(3)).ToHashSet();
        long count = model.Graph.InitializerList.Where(kv => !statistics.Contains(kv.Key)).Sum(kv => (long)kv.Value.Length);
        output.WriteLine($"{model.Name}: {count:N0} parameters, built in {model.BuildTime.TotalSeconds:F1} s");
        Assert.Equal(Info.PublishedParameters, count);
    }

    /// <summary>Conv: output elements × (C/group·kH·kW); Gemm: in × out. torchvision rounds to 0.01 G.</summary>
    [Fact]
    public void HasThePublishedMacs()
    {
        var g = model.Graph.WithBatch(1);
        long macs = 0;
        foreach (var n in g.Nodes)
        {
            var w = n.OpType is "Conv" or "Gemm" ? g.Initializers[n.Inputs[1]].Dims : null;
            if (n.OpType == "Conv") macs += g.TypeOf(n.Outputs[0]).Shape!.ElementCount() * w![1] * w[2] * w[3];
            else if (n.OpType == "Gemm") macs += (long)w![0] * w[1];
        }
        output.WriteLine($"{model.Name}: {macs:N0} MACs per image");
        Assert.InRange(macs / 1e9, Info.PublishedGMacs - 0.005, Info.PublishedGMacs + 0.005);
    }

    [Fact]
    public void HasTheZooInterface()
    {
        var g = model.Graph;
        Assert.Equal(13, g.Opset);
        Assert.Equal("input: f32[N,3,224,224]", Assert.Single(g.Inputs).ToString());
        Assert.Equal("logits: f32[N,1000]", Assert.Single(g.Outputs).ToString());
        Assert.All(g.Nodes, n => Assert.False(string.IsNullOrEmpty(n.Name)));
        Assert.Equal(g.Nodes.Length, g.Nodes.Select(n => n.Name).Distinct().Count());
        // BN stays after every conv (fusion passes have work), except in SqueezeNet, which has none.
        var convs = g.Nodes.Where(n => n.OpType == "Conv").ToList();
        if (model.Name == "squeezenet1.1") Assert.DoesNotContain(g.Nodes, n => n.OpType == "BatchNormalization");
        else Assert.All(convs, c => Assert.Equal("BatchNormalization", Assert.Single(g.Consumers(c.Outputs[0])).OpType));
    }

    [Fact]
    public void SameSeedGivesIdenticalBytes()
    {
        var clock = Stopwatch.StartNew();
        var again = OnnxModel.ToBytes(ModelZoo.Build(model.Name, seed: 0));
        output.WriteLine($"{model.Name}: rebuilt in {clock.Elapsed.TotalSeconds:F1} s, {again.Length:N0} bytes");
        Assert.True(model.Bytes.AsSpan().SequenceEqual(again), $"{model.Name}: two builds with seed 0 differ");
    }

    [Fact]
    public void AgreesWithOnnxRuntime()
    {
        var ours = model.Trace.Logits;
        using var ort = new OrtRunner(model.File);
        var theirs = ort.Run(model.Input);
        Assert.Equal(theirs.Length, ours.Length);
        float maxAbs = theirs.Max(MathF.Abs), maxDiff = 0;
        for (int i = 0; i < ours.Length; i++) maxDiff = MathF.Max(maxDiff, MathF.Abs(ours[i] - theirs[i]));
        output.WriteLine($"{model.Name}: executor {model.Trace.Time.TotalSeconds:F1} s; max |ours − ORT| = {maxDiff:E2}, max |ORT| = {maxAbs:F2}");
        Assert.True(maxDiff <= 1e-4f * maxAbs, $"{model.Name}: max |ours − ORT| = {maxDiff:E3}, max |ORT| = {maxAbs:E3}");
    }

    /// <summary>On an image it was not calibrated on, no layer input explodes or vanishes and the logits spread sanely.</summary>
    [Fact]
    public void ActivationsAreWellScaled()
    {
        var trace = model.Trace;
        var (low, high) = (trace.LayerInputs.MinBy(s => s.Rms), trace.LayerInputs.MaxBy(s => s.Rms));
        double mean = trace.Logits.Average(v => (double)v);
        double std = Math.Sqrt(trace.Logits.Average(v => (v - mean) * (v - mean)));
        output.WriteLine($"{model.Name}: layer input RMS from {low.Rms:F2} ({low.Value}) to {high.Rms:F2} ({high.Value}); logits mean {mean:F2} std {std:F2}");
        Assert.All(trace.LayerInputs, s => Assert.True(s.Finite, $"{s.Value} has NaN or Inf"));
        Assert.All(trace.LayerInputs, s => Assert.InRange(s.Rms, 0.25, 8));
        Assert.All(trace.Logits, v => Assert.True(float.IsFinite(v)));
        Assert.InRange(std, 1, 8);
    }

    [Fact]
    public void SaveThenLoadIsIdentical()
    {
        var loaded = OnnxModel.Load(model.File);
        Assert.Equal(model.Graph.Dump(), loaded.Dump());
        Assert.True(model.Bytes.AsSpan().SequenceEqual(OnnxModel.ToBytes(loaded)), $"{model.Name}: re-export after load differs");
    }
}

public sealed class ResNet18ZooTests(ResNet18Fixture model, ITestOutputHelper output) : ZooModelTests<ResNet18Fixture>(model, output);
public sealed class ResNet50ZooTests(ResNet50Fixture model, ITestOutputHelper output) : ZooModelTests<ResNet50Fixture>(model, output);
public sealed class SqueezeNetZooTests(SqueezeNetFixture model, ITestOutputHelper output) : ZooModelTests<SqueezeNetFixture>(model, output);
public sealed class Vgg16ZooTests(Vgg16Fixture model, ITestOutputHelper output) : ZooModelTests<Vgg16Fixture>(model, output);
public sealed class MobileNetV2ZooTests(MobileNetV2Fixture model, ITestOutputHelper output) : ZooModelTests<MobileNetV2Fixture>(model, output);
