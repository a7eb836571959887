using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace QuantuneV2.GeneratedBenchmarks;

/// <summary>In the build's own process: the generated classes come from this project's build, which BenchmarkDotNet's usual re-build of a wrapper project would redo.</summary>
internal sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() => AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
}
