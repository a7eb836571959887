using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Planning;

namespace QuantuneV2.Tests.Planning;

public class PlanFileTests
{
    [Fact]
    public void SavedPlanLoadsBackAndRebuildsTheSameGraph()
    {
        var result = PlanFixture.Plan();
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        try
        {
            PlanFile.Save(result.Plan, path);
            var loaded = PlanFile.Load(path);
            Assert.Equal(PlanFile.ToJson(result.Plan), PlanFile.ToJson(loaded));
            Assert.Equal(File.ReadAllText(path), PlanFile.ToJson(loaded));
            Assert.Equal(result.Quantized.Dump(), PlanApplication.Apply(PlanFixture.ModelPath, loaded, path).Dump());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SameInputsGiveTheSameBytesWhateverTheThreadCount()
    {
        var one = PlanFile.ToJson(PlanFixture.Plan(threads: 1).Plan);
        var two = PlanFile.ToJson(PlanFixture.Plan(threads: 2).Plan);
        Assert.Equal(one, two);
        Assert.DoesNotContain(Path.GetDirectoryName(PlanFixture.ModelPath)!, one);
    }

    [Fact]
    public void PlanNamesItsModelByHashAndRecordsEveryDecision()
    {
        var plan = PlanFixture.Plan().Plan;
        Assert.Equal(QuantizationPlan.CurrentSchema, plan.Schema);
        Assert.Equal("resnet18.bn.onnx", plan.Model.File);
        Assert.Equal(PlanFile.Sha256(PlanFixture.ModelPath), plan.Model.Sha256);
        Assert.Equal(64, plan.Model.Sha256.Length);
        Assert.Equal(PlanFixture.CalibrationSamples, plan.Calibration.Samples);
        Assert.Equal(plan.Layers.Count, plan.Summary.Layers);
        Assert.All(plan.Layers, l => Assert.Equal(PlanLayer.Int8, l.Precision));
        // All int8: the only boundaries are the input's QuantizeLinear and the logits' DequantizeLinear.
        Assert.Equal(2, plan.Summary.Boundaries);
        Assert.All(plan.Tensors, t => Assert.True(t.Min <= t.Max && t.Scale > 0 && t.ZeroPoint is >= 0 and <= 255, $"{t}"));
        Assert.Equal(plan.Summary.Macs, plan.Layers.Sum(l => l.Macs));
        Assert.True(plan.Summary.Macs > 30_000_000, $"{plan.Summary.Macs} MACs");
    }

    public static TheoryData<string, string, DiagnosticCode> BrokenPlans() => new()
    {
        { "not JSON", "{ this is not json", DiagnosticCode.PlanFile },
        { "null", "null", DiagnosticCode.PlanFile },
        { "wrong schema", "\"schema\": \"quantune-plan/1\"|\"schema\": \"quantune-plan/99\"", DiagnosticCode.PlanFile },
        { "unknown field", "\"schema\": \"quantune-plan/1\",|\"schema\": \"quantune-plan/1\", \"extra\": 1,", DiagnosticCode.PlanFile },
        { "missing field", "\"schema\": \"quantune-plan/1\",|", DiagnosticCode.PlanFile },
        { "bad precision", "\"precision\": \"int8\"|\"precision\": \"int4\"", DiagnosticCode.PlanFile },
        { "bad method", "\"method\": \"minmax\"|\"method\": \"median\"", DiagnosticCode.PlanFile },
        { "layer the model lacks", "\"name\": \"/conv1/Conv\"|\"name\": \"/conv9/Conv\"", DiagnosticCode.PlanMismatch },
    };

    /// <param name="edit">Either a whole file, or "old|new": a replacement (first occurrence) in a valid plan.</param>
    [Theory]
    [MemberData(nameof(BrokenPlans))]
    public void BrokenPlanIsAnErrorNamingTheFile(string what, string edit, DiagnosticCode code)
    {
        var json = PlanFile.ToJson(PlanFixture.Plan().Plan);
        if (edit.Contains('|'))
        {
            var (old, @new) = (edit[..edit.IndexOf('|')], edit[(edit.IndexOf('|') + 1)..]);
            int at = json.IndexOf(old, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{what}: '{old}' not in the plan");
            json = json[..at] + @new + json[(at + old.Length)..];
        }
        else json = edit;
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<QuantuneException>(() => PlanApplication.Apply(PlanFixture.ModelPath, PlanFile.Load(path), path));
            Assert.Equal(code, e.Code);
            Assert.Equal(path, e.File);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PlanForAnotherModelIsRefused()
    {
        var plan = PlanFixture.Plan().Plan;
        // Same function with BatchNorm folded by the exporter: a different file, so a different model.
        var other = SharedData.Require("models/fmnist/resnet18.onnx");
        var e = Assert.Throws<QuantuneException>(() => PlanApplication.Apply(other, plan, "plan.json"));
        Assert.Equal(DiagnosticCode.PlanMismatch, e.Code);
        Assert.Contains("resnet18.bn.onnx", e.Message);
    }

    [Fact]
    public void MissingPlanFileIsUnreadable()
    {
        var e = Assert.Throws<QuantuneException>(() => PlanFile.Load("/nonexistent/plan.json"));
        Assert.Equal(DiagnosticCode.FileUnreadable, e.Code);
    }
}

public class PlanEditTests
{
    [Fact]
    public void EditedTensorRangeOverridesTheCalibratedOne()
    {
        var result = PlanFixture.Plan();
        var plan = result.Plan;
        var target = plan.Tensors.First(t => result.Quantized.Nodes.Any(n => n.OpType == "QConv" && n.Outputs[0] == t.Name + "_q"));
        var edited = plan with { Tensors = [.. plan.Tensors.Select(t => t.Name == target.Name ? t with { Max = t.Max * 4 } : t)] };
        var graph = PlanApplication.Lower(result.Fused, edited, new PassLog());
        float Scale(Graph g) => g.Nodes.Single(n => n.Outputs[0] == target.Name + "_q").FindAttribute("y_scale")!.F;
        Assert.Equal(target.Scale, Scale(result.Quantized));
        Assert.Equal(QuantParams.FromRange(target.Min, target.Max * 4, QuantType.UInt8).Scale, Scale(graph));
        Assert.NotEqual(target.Scale, Scale(graph));
    }

    [Fact]
    public void FlippingALayerToFp32InThePlanKeepsItFp32()
    {
        var result = PlanFixture.Plan();
        var layer = result.Plan.Layers[3];
        var edited = result.Plan with { Layers = [.. result.Plan.Layers.Select(l => l.Name == layer.Name ? l with { Precision = PlanLayer.Fp32 } : l)] };
        var graph = PlanApplication.Lower(result.Fused, edited, new PassLog());
        Assert.Equal(layer.Op, graph.Nodes.Single(n => n.DisplayName == layer.Name).OpType);
        Assert.Equal("QConv", result.Quantized.Nodes.Single(n => n.DisplayName == layer.Name).OpType);
    }
}
