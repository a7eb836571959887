using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace QuantuneV2.Benchmarks;

/// <summary>Adds a "GMAC/s" column: the layer's multiply-accumulates over the mean time.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GmacColumnAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddColumn(new GmacColumn());
}

public sealed class GmacColumn : IColumn
{
    public string Id => nameof(GmacColumn);

    public string ColumnName => "GMAC/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Multiply-accumulates per second (1e9), from the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats || benchmarkCase.Parameters["Layer"] is not string layer)
            return "-";
        return (ConvLayers.All[layer].MultiplyAccumulates / stats.Mean).ToString("F1");
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
