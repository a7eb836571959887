using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Tests.Sensitivity;

public class WeightHazardsTests
{
    /// <summary>A 1×1 conv with 10 output channels: channel c's weights are scale[c] (one channel all zero).</summary>
    private static Graph Conv(params float[] scale)
    {
        var w = Tensor.FromFloats([.. scale.SelectMany(s => new[] { s, -s / 2 })], scale.Length, 2, 1, 1);
        return Graph.Create("t", new ModelInfo(), [new ValueInfo("x", new TensorType(DataType.Float, new Shape(1, 2, 4, 4)))],
            [new ValueInfo("y", new TensorType(DataType.Undefined, null))], [new Node("conv", "Conv", ["x", "w"], ["y"])], [KeyValuePair.Create("w", w)]);
    }

    private static readonly PlanLayer Layer = new("conv", "Conv", 0, PlanLayer.Int8, "quantized");

    [Fact]
    public void PerTensorScalesThatZeroChannelsAreNamed()
    {
        // Max |w| = 1 → step 1/127: channels of magnitude ≤ 0.003 round to zero (and so does s/2 for them).
        var graph = Conv(1f, 0.5f, 0.002f, 0.003f, 0.2f, 0.1f, 0.3f, 0.4f, 0.6f, 0f);
        var warning = Assert.Single(WeightHazards.Find(graph, [Layer], new PlanOptions { PerChannel = false }, "m.onnx"));
        Assert.Equal(DiagnosticCode.DeadWeightChannels, warning.Code);
        Assert.Equal("conv", warning.NodeName);
        Assert.Contains("2 of 9 output channels", warning.Message);
        Assert.Contains("per-channel", warning.Message);
        Assert.Empty(WeightHazards.Find(graph, [Layer], new PlanOptions(), "m.onnx"));
        Assert.Empty(WeightHazards.Find(graph, [Layer with { Precision = PlanLayer.Fp32 }], new PlanOptions { PerChannel = false }, "m.onnx"));
    }

    [Fact]
    public void AutoSwitchesToPerChannelWeights()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hazard-{Guid.NewGuid():N}.onnx");
        OnnxModel.Save(Conv(1f, 0.5f, 0.002f, 0.003f, 0.2f, 0.1f, 0.3f, 0.4f, 0.6f, 0f), path);
        try
        {
            var manual = Planner.Run(path, null, new PlanOptions { PerChannel = false });
            Assert.False(manual.Plan.Options.PerChannel);
            var auto = Planner.Run(path, null, new PlanOptions { PerChannel = false, Fp32Layers = "auto" });
            Assert.True(auto.Plan.Options.PerChannel);
            Assert.Contains(auto.Warnings, w => w.Code == DiagnosticCode.DeadWeightChannels && w.Message.Contains("switched to per-channel"));
            // Only the channel that is zero in fp32 is zero in int8.
            int ZeroChannels(Graph g)
            {
                var w = g.Constants[g.Nodes.Single(n => n.OpType == "QConv").Inputs[1]].Span<sbyte>().ToArray();
                return Enumerable.Range(0, 10).Count(c => w[(2 * c)..(2 * c + 2)].All(v => v == 0));
            }
            Assert.Equal(3, ZeroChannels(manual.Quantized));
            Assert.Equal(1, ZeroChannels(auto.Quantized));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BalancedChannelsRaiseNothing() =>
        Assert.Empty(WeightHazards.Find(Conv(1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f), [Layer], new PlanOptions { PerChannel = false }, "m.onnx"));
}
