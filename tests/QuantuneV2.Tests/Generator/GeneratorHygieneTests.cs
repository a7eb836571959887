using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QuantuneV2.Data;
using QuantuneV2.Generator;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Program;

namespace QuantuneV2.Tests.Generator;

/// <summary>What the generator promises beyond correct numbers: incrementality, diagnostics, an allocation-free API.</summary>
public class GeneratorHygieneTests
{
    private static readonly Lazy<(string Program, byte[] Weights)> ResNet18 = new(() =>
    {
        var path = SharedData.Require("models/fmnist/resnet18.bn.onnx");
        var result = Planner.Run(path, Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-calib.json")), new PlanOptions { Fp32Layers = "2" }, limit: 16);
        var weights = Path.GetTempFileName();
        try
        {
            var files = ProgramFile.Create(result.Quantized, result.Plan, path);
            files.SaveWeights(weights);
            return (files.Text, File.ReadAllBytes(weights));
        }
        finally
        {
            File.Delete(weights);
        }
    });

    [Fact]
    public void AnUnrelatedEditInTheUsersCodeDoesNotRunTheGeneratorAgain()
    {
        var first = GeneratedModel.Compile("namespace App; public static class A { }");
        var driver = GeneratedModel.Driver(ResNet18.Value.Program, "Net", "Check").RunGenerators(first, TestContext.Current.CancellationToken);
        Assert.Single(driver.GetRunResult().GeneratedTrees);
        var edited = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App; public static class B { public static int X => 1; }", GeneratedModel.ParseOptions, cancellationToken: TestContext.Current.CancellationToken));
        var run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();
        var steps = run.TrackedSteps[ModelGenerator.ModelsTrackingName];
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.NotEmpty(steps.SelectMany(s => s.Outputs));
    }

    [Fact]
    public void AnUnreadableProgramIsDiagnosticQV0070NotAnException()
    {
        var driver = GeneratedModel.Driver("quantune-program 1\nstep Kernel=QConv2d X\n", "Net", "Check")
            .RunGeneratorsAndUpdateCompilation(GeneratedModel.Compile("namespace App; public static class A { }"), out _, out var diagnostics, TestContext.Current.CancellationToken);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("QV0070", DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Contains("line 2", d.GetMessage());
        Assert.Empty(driver.GetRunResult().GeneratedTrees);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
    }

    [Theory]
    [InlineData("/models/resnet18.onnx_int8", "Check")]
    [InlineData("class", "Check")]
    [InlineData("Net", "Check.1st")]
    public void AClassNameThatIsNotACSharpNameIsDiagnosticQV0071(string className, string ns)
    {
        var driver = GeneratedModel.Driver("quantune-program 1\n", className, ns)
            .RunGeneratorsAndUpdateCompilation(GeneratedModel.Compile("namespace App; public static class A { }"), out _, out var diagnostics, TestContext.Current.CancellationToken);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("QV0071", DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Contains($"'{className}'", d.GetMessage());
        Assert.Empty(driver.GetRunResult().GeneratedTrees);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
    }

    [Fact]
    public void InferenceAllocatesNothingAfterTheFirstCallAndEveryOverloadAgrees()
    {
        const string probe = """
            namespace Check;
            public static class Probe
            {
                public static long[] Run(float[] x)
                {
                    var y = new float[Net.OutputLength];
                    var batch = new float[2 * Net.InputLength];
                    x.CopyTo(batch, 0);
                    x.CopyTo(batch, Net.InputLength);
                    var ys = new float[2 * Net.OutputLength];
                    var tensorIn = new System.Numerics.Tensors.ReadOnlyTensorSpan<float>(x, [1, 1, 32, 32]);
                    var yt = new float[Net.OutputLength];
                    var tensorOut = new System.Numerics.Tensors.TensorSpan<float>(yt, [1, 10]);
                    Net.Infer(x, y);
                    Net.Infer(batch, ys, 2);
                    Net.Infer(tensorIn, tensorOut);
                    // The least of five batches: a tier-up landing inside one batch can allocate on this thread (a few
                    // KB, the runtime's, measured once in a loaded CI run), while an allocation per call shows in all five.
                    long allocated = long.MaxValue;
                    for (int batchRun = 0; batchRun < 5; batchRun++)
                    {
                        long before = System.GC.GetAllocatedBytesForCurrentThread();
                        for (int i = 0; i < 3; i++)
                        {
                            Net.Infer(x, y);
                            Net.Infer(batch, ys, 2);
                            Net.Infer(tensorIn, tensorOut);
                        }
                        allocated = System.Math.Min(allocated, System.GC.GetAllocatedBytesForCurrentThread() - before);
                    }
                    bool same = System.MemoryExtensions.SequenceEqual(y, yt) && System.MemoryExtensions.SequenceEqual<float>(y, System.MemoryExtensions.AsSpan(ys, 0, 10)) && System.MemoryExtensions.SequenceEqual<float>(y, System.MemoryExtensions.AsSpan(ys, 10, 10));
                    return [allocated, same ? 1 : 0, Net.LayerCount, Net.Int8LayerCount, Net.Fp32Layers.Count];
                }
            }
            """;
        var generated = GeneratedModel.Build(ResNet18.Value.Program, ResNet18.Value.Weights, userCode: probe);
        var x = Dataset.Load(RepoPaths.SampleSpec("fashion-mnist-test.json")).LoadInput(0).Floats.ToArray();
        var result = (long[])generated.Assembly!.GetType("Check.Probe")!.GetMethod("Run")!.Invoke(null, [x])!;
        Assert.Equal([0L, 1L, 22L, 20L, 2L], result);
    }
}
