using BenchmarkDotNet.Attributes;
using QuantuneV2.Kernels.Program;

namespace QuantuneV2.Benchmarks;

/// <summary>The generated code's int8 convolution per layer and per ISA path this machine has (compare with <see cref="Conv2dBenchmarks"/>, fp32).</summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GmacColumn]
public class QConv2dBenchmarks
{
    private QConvLayers.Instance _layer = null!;

    public static IEnumerable<string> Layers => ConvLayers.All.Keys;

    public static IEnumerable<Int8Isa> Isas => Int8Dispatch.Supported.Where(i => i != Int8Isa.Scalar);

    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "";

    [ParamsSource(nameof(Isas))]
    public Int8Isa Isa { get; set; }

    /// <summary>Whether 3×3 stride-1 layers take Winograd where the ISA does (<see cref="Int8Dispatch.Winograd"/>).</summary>
    [Params(false, true)]
    public bool Winograd { get; set; }

    [GlobalSetup]
    public void Setup() => _layer = new QConvLayers.Instance(ConvLayers.All[Layer], Isa, Winograd);

    [Benchmark]
    public void QConv2d() => _layer.Run();
}
