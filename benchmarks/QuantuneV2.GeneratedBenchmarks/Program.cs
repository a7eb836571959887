using BenchmarkDotNet.Running;
using QuantuneV2.GeneratedBenchmarks;

if (args is ["loop", _, ..])
{
    HotLoop.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratedModelBenchmarks).Assembly).Run(args);
