using BenchmarkDotNet.Running;
using QuantuneV2.GeneratedBenchmarks;

BenchmarkSwitcher.FromAssembly(typeof(GeneratedModelBenchmarks).Assembly).Run(args);
