using System.Net;
using System.Text.RegularExpressions;
using QuantuneV2.Planning;
using QuantuneV2.Planning.Report;

namespace QuantuneV2.Tests.Planning;

public class PlanReportTests
{
    private static readonly Lazy<QuantizationPlan> Analysed = new(() => PlanFixture.Plan(new PlanOptions { Fp32Layers = "3" }).Plan);

    [Fact]
    public void ReportIsSelfContainedAndShowsEveryLayerAndTheChosenOnes()
    {
        var plan = Analysed.Value;
        var html = PlanReport.Render(plan);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex("(src|href)=[\"']?(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.True(Regex.Matches(html, "<svg").Count >= 6, "metric charts and the predicted curve");
        Assert.All(plan.Layers, l => Assert.Contains(WebUtility.HtmlEncode(l.Name), html));
        Assert.Equal(3, Regex.Matches(html, "<tr class=\"fp32\">").Count);
        Assert.Contains("Predicted output SQNR against the number of fp32 layers", html);
        Assert.Contains($"predicted output SQNR {plan.Summary.PredictedSqnrDb:F1} dB", html);
        Assert.DoesNotContain("Measured top-1", html);
    }

    [Fact]
    public void AccuracySearchStepsAreCharted()
    {
        var plan = Analysed.Value with { Search = new PlanSearch("val.json", 100, 0.9, 2, true, [new(0, 0.85), new(4, 0.93), new(2, 0.91), new(1, 0.88)]) };
        var html = PlanReport.Render(plan);
        Assert.Contains("Measured top-1 against the number of fp32 layers", html);
        Assert.Contains("0.91", html);
    }

    [Fact]
    public void MeasuredCurveIsCharted()
    {
        var plan = Analysed.Value with { Validation = new PlanValidation("val.json", 50, [new(0, 0.9, 0.96, 30), new(3, 0.92, 0.98, 35.5), new(40, 0.93, 1, double.PositiveInfinity)]) };
        var html = PlanReport.Render(plan);
        Assert.Contains("Measured against the number of fp32 layers", html);
        Assert.Contains("val.json (50 samples)", html);
        Assert.Contains("35.5", html);
    }

    [Fact]
    public void ReportWithoutAnalysisHasNoMetricCharts()
    {
        var html = PlanReport.Render(PlanFixture.Plan().Plan);
        Assert.DoesNotContain("<svg", html);
        Assert.Contains("<table>", html);
    }

    [Fact]
    public void SaveWritesTheRenderedPage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.html");
        try
        {
            PlanReport.Save(Analysed.Value, path);
            Assert.Equal(PlanReport.Render(Analysed.Value), File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
