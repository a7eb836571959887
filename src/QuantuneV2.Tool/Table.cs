namespace QuantuneV2.Tool;

/// <summary>Plain-text tables with padded columns.</summary>
internal static class Table
{
    public static void Print(string[] header, IReadOnlyList<string[]> rows, int[] rightAligned)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((v, c) => rightAligned.Contains(c) ? v.PadLeft(widths[c]) : v.PadRight(widths[c]))).TrimEnd();
        Console.WriteLine(Line(header));
        foreach (var r in rows) Console.WriteLine(Line(r));
    }
}
