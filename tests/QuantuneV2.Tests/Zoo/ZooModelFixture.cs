using System.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using QuantuneV2.Zoo;

namespace QuantuneV2.Tests.Zoo;

/// <summary>One zoo model built once for all tests of a class (building takes seconds to a minute).</summary>
public abstract class ZooModelFixture : IDisposable
{
    private readonly Lazy<string> _file;
    private readonly Lazy<ExecutorTrace> _trace;

    protected ZooModelFixture(string name)
    {
        Name = name;
        var clock = Stopwatch.StartNew();
        Graph = ModelZoo.Build(name);
        BuildTime = clock.Elapsed;
        Bytes = OnnxModel.ToBytes(Graph);
        Input = ModelZoo.SyntheticImages(1, seed: 7);
        _file = new(() =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"quantune-zoo-{name}-{Guid.NewGuid():N}.onnx");
            OnnxModel.Save(Graph, path);
            return path;
        });
        _trace = new(() => ExecutorTrace.Run(Graph, Input));
    }

    public string Name { get; }
    public Graph Graph { get; }
    public TimeSpan BuildTime { get; }
    /// <summary>The model serialized as ONNX.</summary>
    public byte[] Bytes { get; }
    /// <summary>One seeded image that is not among the calibration images.</summary>
    public Tensor Input { get; }
    /// <summary>The model saved to a temporary file (deleted with the fixture).</summary>
    public string File => _file.Value;
    /// <summary>Our executor's run on <see cref="Input"/>.</summary>
    public ExecutorTrace Trace => _trace.Value;

    public void Dispose()
    {
        if (_file.IsValueCreated) System.IO.File.Delete(_file.Value);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Logits and the RMS of every Conv/Gemm input (what a quantizer sees) from one executor run.</summary>
public sealed record ExecutorTrace(float[] Logits, IReadOnlyList<(string Value, double Rms, bool Finite)> LayerInputs, TimeSpan Time)
{
    public static ExecutorTrace Run(Graph graph, Tensor input)
    {
        var g = graph.WithBatch(input.Dims[0]);
        var layerInputs = g.Nodes.Where(n => n.OpType is "Conv" or "Gemm").Select(n => n.Inputs[0]).ToHashSet();
        var stats = new List<(string, double, bool)>();
        var clock = Stopwatch.StartNew();
        var logits = new Session(g, observe: layerInputs).Run([input], (name, t) =>
        {
            double squares = 0;
            bool finite = true;
            foreach (var v in t.Floats)
            {
                squares += (double)v * v;
                finite &= float.IsFinite(v);
            }
            stats.Add((name, Math.Sqrt(squares / t.Length), finite));
        })[0].ToFloatArray();
        return new ExecutorTrace(logits, stats, clock.Elapsed);
    }
}

public sealed class ResNet18Fixture() : ZooModelFixture("resnet18");
public sealed class ResNet50Fixture() : ZooModelFixture("resnet50");
public sealed class SqueezeNetFixture() : ZooModelFixture("squeezenet1.1");
public sealed class Vgg16Fixture() : ZooModelFixture("vgg16");
public sealed class MobileNetV2Fixture() : ZooModelFixture("mobilenetv2");
