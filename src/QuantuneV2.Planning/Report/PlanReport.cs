using System.Globalization;
using System.Net;
using System.Text;
using QuantuneV2.Core.IO;

namespace QuantuneV2.Planning.Report;

/// <summary>
/// The plan as a self-contained HTML page (inline CSS and SVG, nothing fetched): summary, per-layer
/// metric charts in graph order with the fp32 layers highlighted, and the ranking table.
/// </summary>
public static class PlanReport
{
    public static string Render(QuantizationPlan plan)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = plan.Summary;
        var layers = plan.Layers;
        var labels = layers.Select(l => l.Name).ToList();
        var fp32 = layers.Select(l => l.Precision == PlanLayer.Fp32).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Esc($"Quantization plan: {plan.Model.File}")).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<h1>").Append(Esc(plan.Model.File)).Append("</h1>");
        html.Append(inv, $"<p class=\"sum\"><b>{s.Int8Layers}</b> of {s.Layers} layers int8, <b>{s.Fp32Layers}</b> fp32 · ");
        html.Append(inv, $"{100 * s.Int8MacFraction:F1} % of the MACs int8 · {s.Boundaries} int8↔fp32 boundaries ({s.BoundaryElements:N0} elements converted per sample)");
        if (s.PredictedSqnrDb is { } predicted) html.Append(inv, $" · predicted output SQNR {predicted:F1} dB");
        html.Append("</p>");
        var o = plan.Options;
        html.Append(inv, $"<p class=\"opt\">calibration {Esc(o.Method)} on {plan.Calibration.Samples} samples of {Esc(plan.Calibration.Data)} · weights {(o.PerChannel ? "per channel" : "per tensor")}{(o.ReduceRange ? " (7-bit)" : "")} · activations {Esc(o.Activations)} · fp32 layers {Esc(o.Fp32Layers)} by {Esc(o.Baseline)}{(o.Baseline == "quantunev2" ? $" ({Esc(o.Selection)})" : "")} · model sha256 {plan.Model.Sha256[..12]}…</p>");
        foreach (var w in plan.Warnings) html.Append("<p class=\"warn\">").Append(Esc(w)).Append("</p>");

        if (layers.All(l => l.Sensitivity is not null))
        {
            html.Append("<h2>Local metrics per layer</h2><p class=\"note\">Bars in graph order; <span class=\"key hi\"></span> fp32 layers, <span class=\"key\"></span> int8. Hover a bar for the layer.</p>");
            (string Title, string Unit, Func<PlanLayerSensitivity, double> Value)[] charts =
            [
                ("Sensitivity score", "higher = keep fp32", m => m.Score),
                ("Output SQNR", "dB", m => m.OutputSqnrDb),
                ("SQNR delta (noise the layer adds)", "dB", m => m.SqnrDeltaDb),
                ("Weight SQNR", "dB", m => m.WeightSqnrDb),
                ("Normalised MSE of the output", "×10⁻³", m => m.NormalizedMse * 1000),
            ];
            foreach (var (title, unit, value) in charts)
                html.Append("<div class=\"chart\">").Append(SvgBarChart.Render(title, unit, labels, [.. layers.Select(l => value(l.Sensitivity!))], fp32)).Append("</div>");
        }

        // Each chosen layer (or block) carries its own "… rank R …" reason.
        int chosenK = layers.Where(l => l.Precision == PlanLayer.Fp32 && l.Reason.Contains(" rank ", StringComparison.Ordinal)).Select(l => l.Reason).Distinct().Count();
        if (plan.PredictedSqnrDb is { Count: > 1 } curve)
        {
            html.Append("<h2>Predicted output SQNR against the number of fp32 layers</h2><p class=\"note\">k = 0 … n, the first k in rank order fp32 (")
                .Append(o.BlockMode ? "blocks" : "layers").Append("); <span class=\"key hi\"></span> this plan's k. From the noise model (docs/method.md), not measured.</p>");
            html.Append("<div class=\"chart\">").Append(SvgBarChart.Render("Predicted output SQNR", "dB",
                [.. curve.Select((_, k) => k.ToString(inv))], [.. curve], [.. curve.Select((_, k) => k == chosenK)], fromZero: false)).Append("</div>");
        }

        if (plan.Validation is { } validation)
        {
            var points = validation.Points;
            html.Append(inv, $"<h2>Measured against the number of fp32 layers</h2><p class=\"note\">On {Esc(validation.Data)} ({validation.Samples} samples), the first k in rank order fp32 ({(o.BlockMode ? "blocks" : "layers")}); <span class=\"key hi\"></span> this plan's k. Agreement: share of samples whose top-1 equals the fp32 model's.</p>");
            string[] ks = [.. points.Select(p => p.Fp32Layers.ToString(inv))];
            bool[] mark = [.. points.Select(p => p.Fp32Layers == chosenK)];
            html.Append("<div class=\"chart\">").Append(SvgBarChart.Render("Agreement with fp32", "fraction", ks, [.. points.Select(p => p.Agreement)], mark, fromZero: false)).Append("</div>");
            html.Append("<div class=\"chart\">").Append(SvgBarChart.Render("Output SQNR", "dB", ks, [.. points.Select(p => p.SqnrDb)], mark, fromZero: false)).Append("</div>");
            html.Append("<div class=\"chart\">").Append(SvgBarChart.Render("Top-1", "fraction", ks, [.. points.Select(p => p.Top1)], mark, fromZero: false)).Append("</div>");
        }

        if (plan.Search is { } search)
        {
            var steps = search.Steps.OrderBy(t => t.Fp32Layers).ToList();
            html.Append(inv, $"<h2>Measured top-1 against the number of fp32 layers</h2><p class=\"note\">The accuracy search on {Esc(search.Data)} ({search.Samples} samples), target {search.Target:0.####}: each k it evaluated, in rank order; <span class=\"key hi\"></span> the k chosen.</p>");
            html.Append("<div class=\"chart\">").Append(SvgBarChart.Render("Top-1", "fraction", [.. steps.Select(t => t.Fp32Layers.ToString(inv))],
                [.. steps.Select(t => t.Top1)], [.. steps.Select(t => t.Fp32Layers == search.Fp32Layers)], fromZero: false)).Append("</div>");
        }

        html.Append("<h2>Layers</h2><table><thead><tr><th>rank</th><th>layer</th><th>op</th><th>MACs</th><th>weight dB</th><th>input dB</th><th>output dB</th><th>delta dB</th><th>MSE</th><th>score</th><th>precision</th><th>why</th></tr></thead><tbody>");
        foreach (var l in layers.OrderBy(l => l.Rank ?? int.MaxValue))
        {
            var m = l.Sensitivity;
            html.Append(l.Precision == PlanLayer.Fp32 ? "<tr class=\"fp32\">" : "<tr>")
                .Append("<td>").Append(l.Rank?.ToString(inv) ?? "").Append("</td><td>").Append(Esc(l.Name)).Append("</td><td>").Append(Esc(l.Op))
                .Append("</td><td>").Append(l.Macs.ToString("N0", inv)).Append("</td>");
            foreach (var v in m is null ? [double.NaN, double.NaN, double.NaN, double.NaN] : new[] { m.WeightSqnrDb, m.InputSqnrDb, m.OutputSqnrDb, m.SqnrDeltaDb })
                html.Append("<td>").Append(Db(v)).Append("</td>");
            html.Append("<td>").Append(m is null ? "" : m.Mse.ToString("E2", inv)).Append("</td><td>").Append(m is null ? "" : m.Score.ToString("F3", inv))
                .Append("</td><td>").Append(l.Precision).Append("</td><td>").Append(Esc(l.Reason)).Append("</td></tr>");
        }
        html.Append("</tbody></table><p class=\"note\">Metrics: docs/method.md. Generated by quantune.</p></body></html>\n");
        return html.ToString();
    }

    public static void Save(QuantizationPlan plan, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(Render(plan));
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static string Db(double v) => double.IsNaN(v) ? "" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("F2", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px 32px;color:#1d2330;background:#fff}
        h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:26px 0 8px}
        .sum{font-size:16px;margin:4px 0}.opt,.note{color:#5a6372;margin:4px 0}.warn{color:#9a4b00;background:#fff4e0;padding:6px 10px;border-radius:4px}
        .chart{overflow-x:auto;margin:6px 0 10px}svg .bar{fill:#8aa4c8}svg .bar.hi{fill:#d9534f}svg .inf{fill-opacity:.25}
        svg .g{stroke:#e3e7ee}svg .a{font-size:10px;fill:#6b7382}svg .t{font-size:12px;font-weight:600;fill:#1d2330}
        .key{display:inline-block;width:10px;height:10px;background:#8aa4c8;margin:0 3px}.key.hi{background:#d9534f}
        table{border-collapse:collapse;font-size:12.5px}th,td{padding:3px 8px;border-bottom:1px solid #e8ebf0;text-align:right}
        th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3),td:nth-child(12),th:nth-child(12){text-align:left}
        thead th{background:#f3f5f8;position:sticky;top:0}tr.fp32 td{background:#fdecea}
        """;
}
