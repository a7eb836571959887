using System.Globalization;
using System.Net;
using System.Text;

namespace QuantuneV2.Planning.Report;

/// <summary>A vertical bar chart as inline SVG: one bar per layer in graph order, highlighted bars drawn in the accent colour.</summary>
internal static class SvgBarChart
{
    private const int Height = 180, Top = 24, Bottom = 20, Left = 56, BarWidth = 14, Gap = 3;

    /// <param name="values">One value per bar; non-finite values are drawn as a hatched full-height bar labelled "∞".</param>
    /// <param name="fromZero">Bars start at 0; otherwise the axis starts just below the smallest value, so small differences show.</param>
    /// <param name="labels">One per bar: shown under the bars when all are short (k = 0, 1, 2 …), otherwise only on hover under the caption "graph order".</param>
    public static string Render(string title, string unit, IReadOnlyList<string> labels, IReadOnlyList<double> values, IReadOnlyList<bool> highlight, bool fromZero = true)
    {
        var inv = CultureInfo.InvariantCulture;
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        double lo = Math.Min(0, finite.Min()), hi = Math.Max(0, finite.Max());
        if (!fromZero) (lo, hi) = (finite.Min() - 0.1 * (finite.Max() - finite.Min()) - 1e-9, finite.Max());
        if (hi - lo < 1e-12) hi = lo + 1;
        double baseline = Math.Clamp(0, lo, hi);
        bool shortLabels = labels.All(l => l.Length <= 3);
        // Wide enough for the title too (about 7 px a character at 12 px).
        int width = Math.Max(Left + values.Count * (BarWidth + Gap) + 10, Left + 7 * (title.Length + unit.Length + 3)), plot = Height - Top - Bottom;
        double Y(double v) => Top + (hi - v) / (hi - lo) * plot;
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Esc(title)}\">");
        svg.Append(inv, $"<text x=\"{Left}\" y=\"14\" class=\"t\">{Esc(title)} ({Esc(unit)})</text>");
        foreach (var tick in new[] { lo, (lo + hi) / 2, hi })
        {
            svg.Append(inv, $"<line x1=\"{Left - 4}\" x2=\"{width - 10}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\" class=\"g\"/>");
            svg.Append(inv, $"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:F1}\" class=\"a\" text-anchor=\"end\">{Format(tick)}</text>");
        }
        for (int i = 0; i < values.Count; i++)
        {
            double x = Left + i * (BarWidth + Gap), v = values[i];
            string cls = highlight[i] ? "bar hi" : "bar";
            string tip = $"{labels[i]}: {(double.IsFinite(v) ? Format(v) : "∞")} {unit}";
            if (!double.IsFinite(v))
                svg.Append(inv, $"<rect x=\"{x}\" y=\"{Top}\" width=\"{BarWidth}\" height=\"{plot}\" class=\"{cls} inf\"><title>{Esc(tip)}</title></rect>");
            else
            {
                double y0 = Y(Math.Max(v, baseline)), y1 = Y(Math.Min(v, baseline));
                svg.Append(inv, $"<rect x=\"{x}\" y=\"{y0:F1}\" width=\"{BarWidth}\" height=\"{Math.Max(y1 - y0, 0.5):F1}\" class=\"{cls}\"><title>{Esc(tip)}</title></rect>");
            }
        }
        if (shortLabels)
            for (int i = 0; i < labels.Count; i++)
                svg.Append(inv, $"<text x=\"{Left + i * (BarWidth + Gap) + BarWidth / 2.0:F1}\" y=\"{Height - 6}\" class=\"a\" text-anchor=\"middle\">{Esc(labels[i])}</text>");
        else svg.Append(inv, $"<text x=\"{Left}\" y=\"{Height - 4}\" class=\"a\">graph order →</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Format(double v) => Math.Abs(v) >= 100 || v == Math.Round(v) ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
