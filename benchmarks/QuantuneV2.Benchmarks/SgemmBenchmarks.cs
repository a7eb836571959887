using BenchmarkDotNet.Attributes;

namespace QuantuneV2.Benchmarks;

[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GmacColumn]
public class SgemmBenchmarks
{
    private GemmShapes.Instance _product = null!;

    public static IEnumerable<string> Shapes => GemmShapes.All.Keys;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _product = new GemmShapes.Instance(GemmShapes.All[Shape]);

    [Benchmark]
    public void Sgemm() => _product.Run();
}
