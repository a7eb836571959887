using BenchmarkDotNet.Attributes;

namespace QuantuneV2.Benchmarks;

[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GmacColumn]
public class Conv2dBenchmarks
{
    private ConvLayers.Instance _layer = null!;

    public static IEnumerable<string> Layers => ConvLayers.All.Keys;

    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _layer = new ConvLayers.Instance(ConvLayers.All[Layer]);

    [Benchmark]
    public void Conv2d() => _layer.Run();
}
