using QuantuneV2.Core.Calibration;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Data;
using QuantuneV2.Onnx;

namespace QuantuneV2.Tests.Calibration;

/// <summary>The calibrator on the shared Fashion-MNIST ResNet18 and its calibration set.</summary>
public class CalibratorTests
{
    private const int Samples = 120;

    private static (Graph Graph, Dataset Data, string[] Tensors) ResNet18()
    {
        var graph = OnnxModel.Load(SharedData.Require("models/fmnist/resnet18.bn.onnx"));
        var data = Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-calib.json"));
        var tensors = graph.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0 && !graph.Constants.ContainsKey(o)).ToArray();
        return (graph, data, tensors);
    }

    [Theory]
    [InlineData(CalibrationMethod.Entropy)]
    [InlineData(CalibrationMethod.MovingAverageMinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    public void RangesDoNotDependOnTheNumberOfWorkers(CalibrationMethod method)
    {
        var (graph, data, tensors) = ResNet18();
        var runs = new[] { 1, 2, 3 }.Select(threads =>
            Calibrator.Run(graph, tensors, Samples, data.LoadInput, _ => RangeObservers.Create(method), threads)).ToList();
        Assert.Equal(tensors.Length, runs[0].Count);
        foreach (var run in runs.Skip(1))
            foreach (var t in tensors) Assert.Equal(runs[0][t], run[t]);
    }

    [Fact]
    public void MinMaxMatchesTheObservedValuesAndOthersClipInside()
    {
        var (graph, data, tensors) = ResNet18();
        var minMax = Calibrator.Run(graph, tensors, Samples, data.LoadInput, _ => new MinMaxObserver(), 2);
        var percentile = Calibrator.Run(graph, tensors, Samples, data.LoadInput, _ => new PercentileObserver(), 2);
        var progress = new CountingProgress();
        var entropy = Calibrator.Run(graph, tensors, Samples, data.LoadInput, _ => new EntropyObserver(), 2, progress);
        Assert.Equal(2 * Samples, progress.Count);
        foreach (var t in tensors)
        {
            Assert.Equal(0, minMax[t].NonFiniteCount);
            Assert.True(minMax[t].Min <= minMax[t].Max);
            Assert.InRange(percentile[t].Min, minMax[t].Min, minMax[t].Max);
            Assert.InRange(percentile[t].Max, percentile[t].Min, minMax[t].Max);
            Assert.InRange(entropy[t].Min, minMax[t].Min, minMax[t].Max);
            Assert.InRange(entropy[t].Max, entropy[t].Min, minMax[t].Max);
        }
        // The exact max of the first Conv output over the samples, computed independently.
        var first = tensors[0];
        float max = float.NegativeInfinity;
        var session = new QuantuneV2.Core.Execution.Session(graph.WithBatch(1), [first]);
        for (int i = 0; i < Samples; i++)
            session.Run([data.LoadInput(i)], (name, value) => max = MathF.Max(max, value.Floats.ToArray().Max()));
        Assert.Equal(max, minMax[first].Max);
    }

    [Fact]
    public void UnknownTensorIsReported()
    {
        var (graph, data, _) = ResNet18();
        var e = Assert.Throws<QuantuneException>(() => Calibrator.Run(graph, ["no-such-value"], 1, data.LoadInput, _ => new MinMaxObserver(), 1));
        Assert.Contains("no-such-value", e.Message);
    }

    private sealed class CountingProgress : IProgressReporter
    {
        private int _count;
        public int Count => _count;
        public void Report(ProgressInfo progress) => Interlocked.Increment(ref _count);
    }
}
