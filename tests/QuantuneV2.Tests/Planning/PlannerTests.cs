using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Planning;

namespace QuantuneV2.Tests.Planning;

public class PlannerTests
{
    private const string FirstConv = "/conv1/Conv";

    [Fact]
    public void ExcludedLayerStaysFp32WithQuantizeDequantizeAroundIt()
    {
        var result = PlanFixture.Plan(new PlanOptions { Exclude = [FirstConv] });
        var layer = Assert.Single(result.Plan.Layers, l => l.Precision == PlanLayer.Fp32);
        Assert.Equal((FirstConv, "excluded by name"), (layer.Name, layer.Reason));
        Assert.Equal(1, result.Plan.Summary.Fp32Layers);
        Assert.Equal(result.Plan.Summary.Macs - layer.Macs, result.Plan.Summary.Int8Macs);
        // The first conv reads the fp32 input directly, so int8 starts after it: one Q after it, one DQ at the end.
        Assert.Equal(2, result.Plan.Summary.Boundaries);
        var fused = result.Fused.WithBatch(1);
        long Elements(string value) => fused.TypeOf(value).Shape!.Dims.Aggregate(1L, (p, d) => p * d.Value);
        var conv = fused.Nodes.Single(n => n.Name == FirstConv);
        Assert.Equal(Elements(conv.Outputs[0]) + Elements(fused.Outputs[0].Name), result.Plan.Summary.BoundaryElements);
        Assert.Contains(result.Quantized.Nodes, n => n.Name == FirstConv && n.OpType == "FusedConv");
        Assert.DoesNotContain(result.Quantized.Nodes, n => n.Name == FirstConv && n.OpType == "QConv");
    }

    [Fact]
    public void ExcludedOpTypeMatchesFusedNodesByTheirOnnxOp()
    {
        var plan = PlanFixture.Plan(new PlanOptions { ExcludeOpTypes = ["Conv"] }).Plan;
        Assert.All(plan.Layers.Where(l => l.Op == "FusedConv"), l => Assert.Equal((PlanLayer.Fp32, "op type excluded"), (l.Precision, l.Reason)));
        Assert.Contains(plan.Layers, l => l.Precision == PlanLayer.Int8);
    }

    [Fact]
    public void UnknownLayerNameIsAnErrorListingTheLayers()
    {
        var e = Assert.Throws<QuantuneException>(() => PlanFixture.Plan(new PlanOptions { Exclude = ["/layer1/layer1.0/bn1/BatchNormalization"] }));
        Assert.Equal(DiagnosticCode.UnknownLayer, e.Code);
        Assert.Contains(FirstConv, e.Message);
    }

    [Theory]
    [InlineData("method", "median")]
    [InlineData("activations", "int4")]
    [InlineData("fp32-layers", "most")]
    public void InvalidOptionIsAUsageError(string option, string value)
    {
        var options = option switch
        {
            "method" => new PlanOptions { Method = value },
            "activations" => new PlanOptions { Activations = value },
            _ => new PlanOptions { Fp32Layers = value },
        };
        var e = Assert.Throws<QuantuneException>(() => PlanFixture.Plan(options));
        Assert.Equal(DiagnosticCode.UsageError, e.Code);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void WithoutCalibrationDataPlansFromSyntheticInputsAndWarns()
    {
        var result = Planner.Run(PlanFixture.ModelPath, null, new PlanOptions());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCode.SyntheticCalibration, warning.Code);
        Assert.Contains("accuracy will suffer", warning.Message);
        Assert.StartsWith(PlanFixture.ModelPath + ": warning QV0050: ", warning.ToString());
        Assert.Equal(("synthetic", Planner.SyntheticSamples, true), (result.Plan.Calibration.Data, result.Plan.Calibration.Samples, result.Plan.Calibration.Synthetic));
        Assert.Single(result.Plan.Warnings);
        // Still deterministic: the synthetic inputs are seeded.
        Assert.Equal(PlanFile.ToJson(result.Plan), PlanFile.ToJson(Planner.Run(PlanFixture.ModelPath, null, new PlanOptions(), threads: 1).Plan));
    }

    [Fact]
    public void EntropyClippingMostOfATensorIsWarnedAboutWithTheTensorAndNode()
    {
        // Fashion-MNIST's constant background makes conv1's output a few huge spikes: the KL search
        // keeps the spikes and clips the garment (docs/calibration.md). Percentile does not.
        var entropy = PlanFixture.Plan(new PlanOptions { Method = "entropy" });
        var warning = Assert.Single(entropy.Warnings, w => w.Code == DiagnosticCode.HeavyClipping);
        Assert.Contains("'/relu/Relu_output_0' clips", warning.Message);
        Assert.Contains("--method percentile", warning.Message);
        Assert.Equal(FirstConv, warning.NodeName);
        var clipped = double.Parse(System.Text.RegularExpressions.Regex.Match(warning.Message, @"clips ([0-9.]+) %").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(clipped > 100 * Planner.HeavyClipping, warning.Message);
        Assert.DoesNotContain(PlanFixture.Plan(new PlanOptions { Method = "percentile" }).Warnings, w => w.Code == DiagnosticCode.HeavyClipping);
    }

    [Theory]
    [InlineData("percentile", "uint8", true)]
    [InlineData("entropy", "int8", false)]
    [InlineData("moving-average", "uint8", false)]
    public void OptionsReachTheQuantizedGraph(string method, string activations, bool perChannel)
    {
        var result = PlanFixture.Plan(new PlanOptions { Method = method, Activations = activations, PerChannel = perChannel });
        Assert.Equal((method, activations, perChannel), (result.Plan.Options.Method, result.Plan.Options.Activations, result.Plan.Options.PerChannel));
        if (activations == "int8") Assert.All(result.Plan.Tensors, t => Assert.Equal(0, t.ZeroPoint));
        var conv = result.Quantized.Nodes.First(n => n.OpType == "QConv");
        Assert.Equal(activations == "int8" ? 3 : 2, conv.FindAttribute("y_type")!.I);
    }
}
