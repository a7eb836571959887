using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.Execution;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Data;
using QuantuneV2.Data.Evaluation;
using QuantuneV2.Onnx;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Sensitivity;
using QuantuneV2.Tests.Planning;

namespace QuantuneV2.Tests.Sensitivity;

public class SensitivityAnalysisTests
{
    private const int Samples = 8;

    [Fact]
    public void StreamingComparisonEqualsADirectTwoSessionComputation()
    {
        var result = PlanFixture.Plan();
        var data = PlanFixture.Calibration();
        var int8 = PlanApplication.Lower(result.Fused, result.Plan, new PassLog(), out var int8Values);
        var values = result.Plan.Tensors.Select(t => t.Name).Where(int8Values.ContainsKey).ToList();
        var streamed = TraceComparison.Run(result.Fused, int8, int8Values, values, Samples, data.LoadInput, threads: 2);

        // Independently: both graphs, one sample at a time, every value kept, energies summed in sample order.
        var fp32Session = new Session(result.Fused.WithBatch(1), values);
        var int8Session = new Session(int8.WithBatch(1), values.Select(v => int8Values[v].Name));
        var expected = values.ToDictionary(v => v, _ => new SqnrAccumulator());
        for (int i = 0; i < Samples; i++)
        {
            var input = data.LoadInput(i);
            var reference = new Dictionary<string, float[]>();
            fp32Session.Run([input], (name, t) => reference[name] = t.Floats.ToArray());
            int8Session.Run([input], (name, t) =>
            {
                var v = values.Single(x => int8Values[x].Name == name);
                var q = QuantTensor.Read(t);
                expected[v] += SqnrAccumulator.Of(reference[v], q.Select(x => int8Values[v].Params.Dequantize(x)).ToArray());
            });
        }
        foreach (var v in values)
        {
            Assert.Equal(expected[v], streamed[v].Energy);
            Assert.True(streamed[v].Energy.Noise > 0, $"{v}: int8 should add some noise");
        }
    }

    [Fact]
    public void MetricsDoNotDependOnTheThreadCount()
    {
        var result = PlanFixture.Plan();
        var data = PlanFixture.Calibration();
        var one = SensitivityAnalysis.Run(result.Fused, result.Plan, Samples, data.LoadInput, threads: 1);
        var two = SensitivityAnalysis.Run(result.Fused, result.Plan, Samples, data.LoadInput, threads: 2);
        Assert.Equal(one, two);
        Assert.Equal(result.Plan.Layers.Select(l => l.Name), one.Select(m => m.Name));
    }

    [Fact]
    public void LayerMetricsFollowTheirDefinitions()
    {
        var result = PlanFixture.Plan();
        var data = PlanFixture.Calibration();
        var metrics = SensitivityAnalysis.Run(result.Fused, result.Plan, Samples, data.LoadInput, threads: 2);
        var int8 = PlanApplication.Lower(result.Fused, result.Plan, new PassLog(), out var int8Values);
        var byName = result.Fused.Nodes.ToDictionary(n => n.DisplayName);
        var traces = TraceComparison.Run(result.Fused, int8, int8Values, [.. int8Values.Keys.Where(k => result.Fused.Types[k].DataType == DataType.Float)], Samples, data.LoadInput, 2);
        foreach (var m in metrics)
        {
            var node = byName[m.Name];
            var output = traces[node.Outputs[0]];
            Assert.Equal(output.SqnrDb, m.OutputSqnrDb);
            Assert.Equal(output.Energy.Noise / output.Elements, m.Mse);
            Assert.Equal(output.Energy.Noise / output.Energy.Signal, m.NormalizedMse);
            var input = Quantizer.ActivationInputs(node).Distinct().Aggregate(new SqnrAccumulator(), (a, v) => a + traces[v].Energy);
            Assert.Equal(input.Decibels, m.InputSqnrDb);
            Assert.Equal(m.InputSqnrDb - m.OutputSqnrDb, m.SqnrDeltaDb);
            if (Quantizer.Weights(result.Fused, node) is { } w)
            {
                Assert.Equal(SqnrAccumulator.Of(w.Floats, WeightQuantizer.Quantize(w, true, false).Dequantize()).Decibels, m.WeightSqnrDb);
                Assert.InRange(m.WeightSqnrDb, 20, 80);
            }
            else Assert.Equal(double.PositiveInfinity, m.WeightSqnrDb);
        }
    }

    [Fact]
    public void PerTensorWeightsLoseWeightSqnr()
    {
        var result = PlanFixture.Plan();
        var conv = result.Fused.Nodes.First(n => n.OpType == "FusedConv");
        double perChannel = SensitivityAnalysis.WeightSqnrDb(result.Fused, conv, new PlanOptions());
        double perTensor = SensitivityAnalysis.WeightSqnrDb(result.Fused, conv, new PlanOptions { PerChannel = false });
        double reduced = SensitivityAnalysis.WeightSqnrDb(result.Fused, conv, new PlanOptions { ReduceRange = true });
        Assert.True(perTensor < perChannel, $"per-tensor {perTensor:F2} dB, per-channel {perChannel:F2} dB");
        // One bit fewer: about 6 dB less.
        Assert.InRange(perChannel - reduced, 4.5, 7.5);
    }

    [Fact]
    public void KeepingTheMostSensitiveLayersFp32IsRecordedInThePlan()
    {
        var result = PlanFixture.Plan(new PlanOptions { Fp32Layers = "2" });
        var plan = result.Plan;
        Assert.All(plan.Layers, l => Assert.NotNull(l.Sensitivity));
        var fp32 = plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).OrderBy(l => l.Rank).ToList();
        Assert.Equal([1, 2], fp32.Select(l => l.Rank));
        Assert.Equal(["quantunev2 rank 1", "quantunev2 rank 2"], fp32.Select(l => l.Reason));
        Assert.Equal(2, plan.Summary.Fp32Layers);
        Assert.True(result.AnalysisTime > TimeSpan.Zero);
        // Kept fp32: the mixed graph runs the layer's own op, not its Q-form.
        Assert.All(fp32, l => Assert.Contains(result.Quantized.Nodes, n => n.DisplayName == l.Name && n.OpType == l.Op));

        // Infinite SQNRs (layers without weights) survive the file.
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        try
        {
            PlanFile.Save(plan, path);
            Assert.Contains("\"Infinity\"", File.ReadAllText(path));
            Assert.Equal(PlanFile.ToJson(plan), PlanFile.ToJson(PlanFile.Load(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BaselinesRankWithoutTheAnalysis()
    {
        var plan = PlanFixture.Plan(new PlanOptions { Fp32Layers = "3", Baseline = "position" }).Plan;
        Assert.All(plan.Layers, l => Assert.Null(l.Sensitivity));
        var fp32 = plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => l.Name).ToList();
        Assert.Equal([plan.Layers[0].Name, plan.Layers[1].Name, plan.Layers[^1].Name], fp32);
    }
}

public class OneAtATimeTests
{
    [Fact]
    public void EachLayerAloneAddsNoiseAndTheRankingFollowsIt()
    {
        var result = PlanFixture.Plan();
        var data = PlanFixture.Calibration();
        var sqnr = OneAtATime.OutputSqnrDb(result.Fused, result.Plan, PlanFixture.CalibrationSamples, data.LoadInput, threads: 2);
        Assert.Equal(result.Plan.Layers.Count, sqnr.Count);
        Assert.All(sqnr, s => Assert.InRange(s, 15, 100));
        var ranked = OneAtATime.Rank(result.Plan.Layers, sqnr);
        var first = ranked.Single(l => l.Rank == 1);
        Assert.Equal(sqnr.Min(), sqnr[ranked.IndexOf(first)]);
        // Through the planner, --fp32-layers 1 --baseline one-at-a-time keeps exactly that layer fp32.
        var planned = PlanFixture.Plan(new PlanOptions { Fp32Layers = "1", Baseline = "one-at-a-time" });
        Assert.Equal(first.Name, Assert.Single(planned.Plan.Layers, l => l.Precision == PlanLayer.Fp32).Name);
    }
}

public class AccuracySearchTests
{
    /// <summary>The first 100 Fashion-MNIST test images, as a spec of its own (a subset of the shipped one).</summary>
    private static Dataset Validation()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.SampleSpec("fashion-mnist-test.json")))!.AsObject();
        json["subset"] = System.Text.Json.Nodes.JsonNode.Parse("{\"stop\": 100}");
        var path = Path.Combine(Path.GetTempPath(), $"val-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            return Dataset.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SearchFindsTheFewestFp32LayersThatReachTheTargetInLogarithmicSteps()
    {
        var validation = Validation();
        var calibration = PlanFixture.Calibration();
        var allInt8 = Evaluator.Run(PlanFixture.Plan().Quantized, validation).Top1;
        // A target just above all-int8 forces at least one fp32 layer when fp32 itself is above it.
        var fp32 = Evaluator.Run(OnnxModel.Load(PlanFixture.ModelPath), validation).Top1;
        double target = Math.Min(fp32, allInt8 + 0.01);
        var result = Planner.Run(PlanFixture.ModelPath, calibration, new PlanOptions { AccuracyTarget = target }, PlanFixture.CalibrationSamples, 2, validation: validation);
        var search = result.Plan.Search!;
        Assert.True(search.Reached);
        Assert.Equal(search.Fp32Layers, result.Plan.Summary.Fp32Layers);
        Assert.True(search.Steps.Count <= (int)Math.Ceiling(Math.Log2(result.Plan.Layers.Count + 1)) + 1, $"{search.Steps.Count} evaluations");
        // The chosen k reaches the target; k − 1 (when measured) does not.
        Assert.True(search.Steps.Single(s => s.Fp32Layers == search.Fp32Layers).Top1 >= target);
        if (search.Steps.FirstOrDefault(s => s.Fp32Layers == search.Fp32Layers - 1) is { } below) Assert.True(below.Top1 < target);
        Assert.Equal(result.Plan.Layers.Where(l => l.Precision == PlanLayer.Fp32).Select(l => l.Rank).Order(), Enumerable.Range(1, search.Fp32Layers).Select(r => (int?)r));
    }

    [Fact]
    public void UnreachableTargetKeepsEveryRankedLayerFp32AndWarns()
    {
        var validation = Validation();
        var result = Planner.Run(PlanFixture.ModelPath, PlanFixture.Calibration(), new PlanOptions { AccuracyTarget = 1.0 }, PlanFixture.CalibrationSamples, 2, validation: validation);
        Assert.False(result.Plan.Search!.Reached);
        Assert.Equal(result.Plan.Layers.Count, result.Plan.Summary.Fp32Layers);
        Assert.Contains(result.Warnings, w => w.Code == DiagnosticCode.AccuracyTargetUnreached);
    }

    [Fact]
    public void ValidationWithoutTargetMeasuresTheCurveAtLogSpacedK()
    {
        var validation = Validation();
        var result = Planner.Run(PlanFixture.ModelPath, PlanFixture.Calibration(), new PlanOptions { Fp32Layers = "3" }, PlanFixture.CalibrationSamples, 2, validation: validation);
        var plan = result.Plan;
        var curve = plan.Validation!;
        int n = plan.Layers.Count;
        var expected = new SortedSet<int> { 0, 3, n };
        for (int k = 1; k < n; k *= 2) expected.Add(k);
        Assert.Equal(expected, curve.Points.Select(p => p.Fp32Layers));
        Assert.Equal(validation.Count, curve.Samples);
        // k = 0 is the all-int8 model, k = n the fp32 model (agreement 1, no noise), k = 3 this plan.
        Assert.Equal(Evaluator.Run(PlanFixture.Plan().Quantized, validation).Top1, curve.Points[0].Top1);
        Assert.Equal((1.0, double.PositiveInfinity), (curve.Points[^1].Agreement, curve.Points[^1].SqnrDb));
        Assert.Equal(Evaluator.Run(result.Quantized, validation).Top1, curve.Points.Single(p => p.Fp32Layers == 3).Top1);
        Assert.Equal(3, plan.Summary.Fp32Layers);
        Assert.Null(plan.Search);
    }

    [Fact]
    public void TargetWithoutValidationDataIsAUsageError() =>
        Assert.Equal(DiagnosticCode.UsageError,
            Assert.Throws<QuantuneException>(() => PlanFixture.Plan(new PlanOptions { AccuracyTarget = 0.9 })).Code);
}
