using System.Diagnostics;
using QuantuneV2.Core.Analysis;
using QuantuneV2.Core.Calibration;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Core.Passes;
using QuantuneV2.Core.Quantization;
using QuantuneV2.Data;
using QuantuneV2.Onnx;
using QuantuneV2.Planning.Sensitivity;

namespace QuantuneV2.Planning;

/// <summary>A plan and what was built on the way: the fused fp32 graph, the mixed int8 graph, the pass log.</summary>
public sealed record PlanResult(QuantizationPlan Plan, Graph Fused, Graph Quantized, PassLog Log, TimeSpan CalibrationTime, TimeSpan AnalysisTime, IReadOnlyList<QuantuneWarning> Warnings);

/// <summary>
/// Makes a quantization plan: fuse the fp32 graph (<see cref="PassPipeline"/>), calibrate every activation
/// an int8 layer could read or write, decide each layer's precision, and lower to the mixed graph to
/// count its int8↔fp32 boundaries. The CLI and the MSBuild task both come through here.
/// </summary>
public static class Planner
{
    /// <summary>Samples drawn when no calibration data is given.</summary>
    public const int SyntheticSamples = 32;

    /// <summary>A range that clips more than this fraction of a tensor's calibration values is warned about (QV0054).</summary>
    public const double HeavyClipping = 0.01;

    /// <param name="calibration">The calibration data set, or null to calibrate on synthetic inputs (with a warning).</param>
    /// <param name="limit">Use only the first <c>limit</c> calibration samples.</param>
    /// <param name="analyze">Run the sensitivity analysis even when the options do not need it (for `quantune analyze`).</param>
    /// <param name="validation">The labelled set an accuracy target is measured on.</param>
    public static PlanResult Run(string modelPath, Dataset? calibration, PlanOptions options, int? limit = null, int? threads = null, IProgressReporter? progress = null,
        bool analyze = false, Dataset? validation = null)
    {
        options.Validate();
        if (options.AccuracyTarget is not null && validation is null)
            throw new QuantuneException(DiagnosticCode.UsageError, "an accuracy target needs a validation data set (--val SPEC)");
        var model = OnnxModel.Load(modelPath);
        var log = new PassLog();
        var fused = PassPipeline.Run(model, log);
        var warnings = new List<QuantuneWarning>();
        var layers = Decide(fused, options, modelPath);
        var choice = Fp32LayerChoice.Parse(options.Fp32Layers);
        int workers = threads ?? Environment.ProcessorCount;

        // Every layer that could run int8 is calibrated, not only the chosen ones: a plan can then be
        // edited (or re-planned by the sensitivity analysis) without calibrating again.
        var values = Quantizer.ValuesToCalibrate(fused, new QuantizationOptions());
        var (count, fill) = Samples(fused, calibration, limit);
        if (calibration is null)
            warnings.Add(new QuantuneWarning(DiagnosticCode.SyntheticCalibration,
                $"no calibration data: ranges come from {count} random normal inputs, so int8 accuracy will suffer; give a data set spec of real inputs (docs/datasets.md)", modelPath));
        var clock = Stopwatch.StartNew();
        var ranges = Calibrator.Run(fused, values, count, fill, v => options.CreateObserver(fused.Inputs.Any(i => i.Name == v)), workers, progress);
        var calibrationTime = clock.Elapsed;
        foreach (var v in values.Where(v => ranges[v].NonFiniteCount > 0))
            warnings.Add(new QuantuneWarning(DiagnosticCode.NonFiniteActivations,
                $"'{v}' took {ranges[v].NonFiniteCount} NaN/infinite values on the calibration data; they are ignored by the range", modelPath, fused.Producer(v)?.DisplayName));
        foreach (var v in values.Where(v => ranges[v].ClippedFraction > HeavyClipping))
            warnings.Add(new QuantuneWarning(DiagnosticCode.HeavyClipping,
                $"the {options.Method} range [{ranges[v].Min:G4}, {ranges[v].Max:G4}] of '{v}' clips {ranges[v].ClippedFraction:P1} of its " +
                (options.CalibrationMethod == CalibrationMethod.Entropy
                    ? "non-zero calibration values; KL divergence misjudges activations made of a few repeated values (e.g. a constant image background), try --method percentile"
                    : "calibration values; check the calibration data"), modelPath, fused.Producer(v)?.DisplayName));

        var hazards = WeightHazards.Find(fused, layers, options, modelPath).ToList();
        warnings.AddRange(hazards);
        if (hazards.Count > 0 && choice.IsAuto)
        {
            // No choice of fp32 layers rescues channels rounded to zero; per-channel scales do.
            options = options with { PerChannel = true };
            warnings.Add(new QuantuneWarning(DiagnosticCode.DeadWeightChannels, "--fp32-layers auto switched to per-channel weights to avoid the all-zero channels above", modelPath));
        }
        var activations = options.ActivationType;
        var concatInputs = Quantizer.ConcatInputs(fused);
        var tensors = values.Select(v =>
        {
            var r = ranges[concatInputs.GetValueOrDefault(v, v)];
            var p = QuantParams.FromRange(r.Min, r.Max, activations);
            return new PlanTensor(v, r.Min, r.Max, p.Scale, p.ZeroPoint);
        }).ToList();
        var plan = new QuantizationPlan(QuantizationPlan.CurrentSchema,
            new PlanModel(Path.GetFileName(modelPath), PlanFile.Sha256(modelPath), fused.Name, fused.Nodes.Length),
            options,
            new PlanCalibration(calibration is null ? "synthetic" : Path.GetFileName(calibration.SpecPath), count, calibration is null),
            new PlanSummary(0, 0, 0, 0, 0, 0, 0), layers, tensors, []);

        bool chooses = !choice.IsNone || options.AccuracyTarget is not null;
        var analysisTime = TimeSpan.Zero;
        NoiseModel? noise = null;
        if (analyze || (chooses && options.Baseline == "quantunev2"))
        {
            clock.Restart();
            var ranked = SensitivityRanking.Rank(SensitivityAnalysis.Run(fused, plan, count, fill, workers, progress, out var traces), options.Score);
            var rounding = RoundingNoise.Measure(fused, tensors, activations, count, fill, workers, progress);
            noise = NoiseModel.Measure(fused, layers, tensors, options, count, fill, workers, progress);
            if (noise.Outputs.All(traces.ContainsKey))
                noise = noise.CalibratedTo(noise.Outputs.Sum(o => traces[o].Energy.Noise) / noise.Outputs.Sum(o => traces[o].Energy.Signal));
            tensors = [.. tensors.Select(t => t with { RoundingSqnrDb = rounding[t.Name].Decibels })];
            layers = [.. layers.Zip(ranked, (l, r) => l with { Sensitivity = Sensitivity(r) })];
            if (options.Baseline == "quantunev2")
                layers = options.Selection == "score" ? [.. layers.Zip(ranked, (l, r) => l with { Rank = r.Rank })] : BoundaryAwareRanks(noise, layers, ranked);
            analysisTime = clock.Elapsed;
        }
        if (options.Baseline == "one-at-a-time" && chooses)
        {
            clock.Restart();
            layers = OneAtATime.Rank(layers, OneAtATime.OutputSqnrDb(fused, plan, count, fill, workers, progress));
            analysisTime += clock.Elapsed;
        }
        else if (options.Baseline is "random" or "position") layers = BaselineRanking.Apply(layers, options.Baseline, options.Seed);
        PlanSearch? search = null;
        // The options' exclusions are already fp32: the choice picks among the int8 layers, by rank,
        // one layer at a time or (block mode) one block at a time.
        var units = layers.All(l => l.Rank is not null) ? Units(fused, [.. layers.Where(l => l.Precision == PlanLayer.Int8).OrderBy(l => l.Rank)], options.BlockMode) : [];
        var predictedNsr = noise is null ? null : PredictedNsrByUnits(noise, layers, units);
        int chosenCount = 0;
        if (chooses)
        {
            var unitLayers = units.Select(u => u.Unit).ToList();
            if (options.AccuracyTarget is { } target)
            {
                search = AccuracySearch.Run(fused, plan with { Layers = layers }, [.. units.Select(u => u.Members)], validation!, target, workers, progress);
                if (!search.Reached)
                    warnings.Add(new QuantuneWarning(DiagnosticCode.AccuracyTargetUnreached,
                        $"top-1 {target:0.####} is not reached on {search.Data} even with all {units.Count} ranked {(options.BlockMode ? "blocks" : "layers")} fp32 (top-1 {search.Steps[0].Top1:0.####}); keeping them all fp32", modelPath));
            }
            // What a choice's int8↔fp32 boundaries convert: counted on the mixed graph it lowers to (auto weighs it).
            long BoundaryElements(IReadOnlyList<PlanLayer> chosen)
            {
                var fp32 = chosen.SelectMany(c => units.First(u => u.Unit == c).Members).ToHashSet(StringComparer.Ordinal);
                var trial = plan with { Layers = [.. layers.Select(l => fp32.Contains(l.Name) ? l with { Precision = PlanLayer.Fp32 } : l)] };
                return PlanApplication.Boundaries(PlanApplication.Lower(fused, trial, new PassLog())).Elements;
            }
            var chosenUnits = search is null ? choice.Select(unitLayers, layers.Sum(l => l.Macs), predictedNsr, BoundaryElements) : unitLayers.Take(search.Fp32Layers).ToList();
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var unit in chosenUnits)
                foreach (var member in units.First(u => u.Unit == unit).Members)
                    reasons[member] = options.BlockMode ? $"{options.Baseline} block rank {unit.Rank} ({unit.Name})" : $"{options.Baseline} rank {unit.Rank}";
            layers = [.. layers.Select(l => reasons.TryGetValue(l.Name, out var why) ? l with { Precision = PlanLayer.Fp32, Reason = why } : l)];
            chosenCount = chosenUnits.Count;
        }
        var measured = validation is not null && options.AccuracyTarget is null && units.Count > 0
            ? MeasuredCurve.Run(fused, plan with { Layers = layers }, [.. units.Select(u => u.Members)], chosenCount, validation, workers, progress)
            : null;
        int int8 = layers.Count(l => l.Precision == PlanLayer.Int8);
        plan = plan with
        {
            Layers = layers,
            Search = search,
            Warnings = [.. warnings.Select(w => w.CodeText + ": " + w.Message)],
            Tensors = tensors,
            PredictedSqnrDb = predictedNsr?.Select(NoiseModel.SqnrDb).ToList(),
            Validation = measured,
            Summary = new PlanSummary(layers.Count, int8, layers.Count - int8, layers.Sum(l => l.Macs), layers.Where(l => l.Precision == PlanLayer.Int8).Sum(l => l.Macs), 0, 0,
                noise is null ? null : NoiseModel.SqnrDb(noise.PredictedNsr([.. layers.Select(l => l.Precision == PlanLayer.Fp32)]))),
        };
        var quantized = PlanApplication.Lower(fused, plan, log);
        var (boundaries, elements) = PlanApplication.Boundaries(quantized);
        plan = plan with { Summary = plan.Summary with { Boundaries = boundaries, BoundaryElements = elements } };
        return new PlanResult(plan, fused, quantized, log, calibrationTime, analysisTime, warnings);
    }

    /// <summary>
    /// What the choice picks from, most sensitive first: each layer, or in block mode each block (<see cref="Blocks"/>)
    /// as one unit with the MACs of its layers and the rank and sensitivity of its best-ranked layer.
    /// </summary>
    private static List<(PlanLayer Unit, IReadOnlyList<string> Members)> Units(Graph fused, List<PlanLayer> byRank, bool blockMode)
    {
        if (!blockMode) return [.. byRank.Select(l => (l, (IReadOnlyList<string>)[l.Name]))];
        var rankOf = byRank.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var blocks = Blocks.Find(fused, rankOf.Keys)
            .Select(members => (Members: members, Best: members.Select(m => rankOf[m]).MinBy(l => l.Rank)!))
            .OrderBy(b => b.Best.Rank).ToList();
        return [.. blocks.Select((b, i) => (new PlanLayer(b.Members.Count == 1 ? b.Members[0] : $"{b.Members[0]} … {b.Members[^1]}", "block",
            b.Members.Sum(m => rankOf[m].Macs), PlanLayer.Int8, "", i + 1, b.Best.Sensitivity), b.Members))];
    }

    /// <summary>
    /// Ranks for the boundary-aware selection: the layers already fp32 (exclusions) first, by score, then the
    /// int8 layers in the noise model's greedy order (ties by score rank).
    /// </summary>
    private static List<PlanLayer> BoundaryAwareRanks(NoiseModel noise, List<PlanLayer> layers, IReadOnlyList<RankedLayer> ranked)
    {
        var byScore = Enumerable.Range(0, layers.Count).OrderBy(i => ranked[i].Rank).ToList();
        var fixedFp32 = byScore.Where(i => layers[i].Precision == PlanLayer.Fp32).ToList();
        var greedy = noise.GreedyOrder([.. byScore.Where(i => layers[i].Precision == PlanLayer.Int8)], [.. layers.Select(l => l.Precision == PlanLayer.Fp32)]);
        var rank = new int[layers.Count];
        foreach (var (i, r) in fixedFp32.Concat(greedy.Select(g => g.Layer)).Select((i, r) => (i, r)))
            rank[i] = r + 1;
        return [.. layers.Select((l, i) => l with { Rank = rank[i] })];
    }

    /// <summary>The predicted output NSR with the first k units fp32 (besides the exclusions), k = 0 … units.</summary>
    private static List<double> PredictedNsrByUnits(NoiseModel noise, List<PlanLayer> layers, List<(PlanLayer Unit, IReadOnlyList<string> Members)> units)
    {
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var fp32 = layers.Select(l => l.Precision == PlanLayer.Fp32).ToArray();
        var curve = new List<double> { noise.PredictedNsr(fp32) };
        foreach (var (_, members) in units)
        {
            foreach (var m in members) fp32[index[m]] = true;
            curve.Add(noise.PredictedNsr(fp32));
        }
        return curve;
    }

    private static PlanLayerSensitivity Sensitivity(RankedLayer r) => new(r.Metrics.WeightSqnrDb, r.Metrics.InputSqnrDb, r.Metrics.OutputSqnrDb,
        r.Metrics.SqnrDeltaDb, r.Metrics.Mse, r.Metrics.NormalizedMse, r.Score);

    /// <summary>Each layer with an int8 form, int8 unless the options exclude it (by name or op type).</summary>
    private static List<PlanLayer> Decide(Graph fused, PlanOptions options, string modelPath)
    {
        var candidates = fused.Nodes.Where(n => Quantizer.IsQuantizable(fused, n)).ToList();
        var names = candidates.Select(n => n.DisplayName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in options.Exclude.Where(n => !names.Contains(n)))
            throw new QuantuneException(DiagnosticCode.UnknownLayer,
                $"--exclude names '{name}', which is not a layer with an int8 form after fusion (BatchNormalization and activations are fused into the preceding layer); layers: {string.Join(", ", names.Take(12))}{(names.Count > 12 ? ", ..." : "")}",
                modelPath);
        return candidates.Select(n =>
        {
            var macs = LayerCost.Of(fused, BaseNode(n)).Macs;
            var (precision, reason) = options.Exclude.Contains(n.DisplayName) ? (PlanLayer.Fp32, "excluded by name")
                : options.ExcludeOpTypes.Contains(n.OpType) || options.ExcludeOpTypes.Contains(BaseNode(n).OpType) ? (PlanLayer.Fp32, "op type excluded")
                : (PlanLayer.Int8, "quantized");
            return new PlanLayer(n.DisplayName, n.OpType, macs, precision, reason);
        }).ToList();
    }

    /// <summary>A fused node seen as the ONNX op it extends (FusedConv → Conv), for MAC counts and op-type exclusions.</summary>
    private static Node BaseNode(Node n) => n.OpType.StartsWith("Fused", StringComparison.Ordinal) ? new Node(n.Name, n.OpType["Fused".Length..], n.Inputs, n.Outputs, n.Attributes) : n;

    /// <summary>The calibration samples the planner uses: the data set's first <paramref name="limit"/>, or synthetic inputs without data.</summary>
    public static (int Count, Action<int, Span<float>> Fill) Samples(Graph fused, Dataset? calibration, int? limit)
    {
        if (calibration is null) return (SyntheticSamples, SyntheticFill(fused));
        calibration.CheckModelInput(fused.Inputs[0].Name, fused.Inputs[0].Type.Shape ?? Shape.Scalar);
        return (Math.Min(limit ?? calibration.Count, calibration.Count), calibration.LoadInput);
    }

    /// <summary>Standard normal values, seeded by the sample index, so that a synthetic plan is still deterministic.</summary>
    private static Action<int, Span<float>> SyntheticFill(Graph graph)
    {
        if (graph.Inputs.Length != 1)
            throw new QuantuneException(DiagnosticCode.InvalidInput, $"the model has {graph.Inputs.Length} runtime inputs; calibration feeds exactly one");
        return (index, destination) =>
        {
            var rng = new Random(index);
            for (int i = 0; i < destination.Length; i++)
                destination[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        };
    }
}
