using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace QuantuneV2.Benchmarks;

/// <summary>Adds a "GMAC/s" column: the workload's multiply-accumulates (named by one of its parameters) over the mean time.</summary>
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
        if (summary[benchmarkCase]?.ResultStatistics is not { } stats)
            return "-";
        long? macs = benchmarkCase.Parameters.Items.Select(p => p.Value switch
        {
            string name when ConvLayers.All.TryGetValue(name, out var conv) => conv.MultiplyAccumulates,
            string name when GemmShapes.All.TryGetValue(name, out var gemm) => gemm.MultiplyAccumulates,
            _ => (long?)null,
        }).FirstOrDefault(m => m is not null);
        // MACs per nanosecond = GMAC/s.
        return macs is { } m ? (m / stats.Mean).ToString("F1") : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
