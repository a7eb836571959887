using System.Globalization;
using System.Text;
using QuantuneV2.Data.Spec;

namespace QuantuneV2.Data.Sources;

/// <summary>
/// Where a spec's labels come from (<c>labels.format</c>):
/// <list type="bullet">
/// <item><c>u8</c>: one byte per sample, in sample order, after <c>headerBytes</c> (Fashion-MNIST; MNIST idx with 8).</item>
/// <item><c>lines</c>: a text file with one integer per line, in sample order.</item>
/// <item><c>tsv</c>: a tab-separated file whose header names a <c>label</c> column and a key column,
/// <c>file</c> (the sample's file name, as <see cref="FileList.Names"/>) or <c>index</c> (the sample's position).</item>
/// <item><c>file-index</c>: the file name is the label, <c>0042.jpg</c> is 42 (the shared ImageNet samples).</item>
/// <item><c>folder</c>: one subfolder per class; the label is the subfolder's position in ordinal name order.</item>
/// </list>
/// </summary>
internal sealed class LabelSpec
{
    private readonly string? _path;
    private readonly int _headerBytes;

    private LabelSpec(string format, string? path, int headerBytes)
    {
        Format = format;
        _path = path;
        _headerBytes = headerBytes;
    }

    public string Format { get; }

    /// <summary>The label file, for the formats that read one.</summary>
    public string? FilePath => _path;

    /// <summary>Whether the sample files must be found in class subfolders.</summary>
    public bool ClassFolders => Format == "folder";

    /// <summary>Null when the spec has no <c>labels</c> object.</summary>
    public static LabelSpec? Parse(SpecObject spec, bool filePerSample)
    {
        if (!spec.IsPresent) return null;
        var choice = spec.Choice("format", "u8", "lines", "tsv", "file-index", "folder");
        var path = spec.PathField("path");
        var headerBytes = spec.Int("headerBytes", 0);
        spec.RejectUnknownFields();
        var format = choice ?? throw spec.Missing("format", "u8, lines, tsv, file-index or folder");
        bool readsFile = format is "u8" or "lines" or "tsv";
        if (readsFile && path is null) throw spec.Missing("path", $"labels.format '{format}' reads a file");
        if (!readsFile && path is not null) throw spec.Error("path", $"does not apply to labels.format '{format}'");
        if (headerBytes is not null && format != "u8") throw spec.Error("headerBytes", "applies to labels.format 'u8' only");
        if (!readsFile && !filePerSample) throw spec.Error("format", $"'{format}' labels one file per sample; kind 'raw' keeps all samples in one file: use u8, lines or tsv");
        return new LabelSpec(format, path, headerBytes ?? 0);
    }

    /// <summary>One label per sample of <paramref name="source"/> (before subset selection).</summary>
    public int[] Read(ISampleSource source) => Format switch
    {
        "u8" => Bytes(source.Count),
        "lines" => Lines(source.Count),
        "tsv" => Tsv(source),
        "file-index" => FileIndex(source.Files!),
        _ => source.Files!.FolderLabels!,
    };

    private int[] Bytes(int count)
    {
        var bytes = DatasetErrors.ReadAllBytes(_path!);
        if (bytes.Length - (long)_headerBytes != count)
            throw DatasetErrors.Data(_path!, $"has {bytes.Length} bytes: after the {_headerBytes}-byte header that is {bytes.Length - _headerBytes} labels, but the data has {count} samples");
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = bytes[_headerBytes + i];
        return labels;
    }

    private int[] Lines(int count)
    {
        var labels = new List<int>();
        foreach (var (line, number) in TextLines())
            labels.Add(ParseLabel(line, number));
        if (labels.Count != count) throw DatasetErrors.Data(_path!, $"has {labels.Count} labels, but the data has {count} samples");
        return [.. labels];
    }

    private int[] Tsv(ISampleSource source)
    {
        using var lines = TextLines().GetEnumerator();
        if (!lines.MoveNext()) throw DatasetErrors.Data(_path!, "is empty; expected a header line naming the 'label' column and a 'file' or 'index' column");
        var header = lines.Current.Text.Split('\t');
        int labelColumn = Column(header, "label"), fileColumn = Column(header, "file"), indexColumn = Column(header, "index");
        if (labelColumn < 0 || (fileColumn < 0 && indexColumn < 0))
            throw DatasetErrors.Data(_path!, $"has header columns [{string.Join(", ", header)}]; it must name a 'label' column and a 'file' or 'index' column");
        bool byFile = fileColumn >= 0;
        if (byFile && source.Files is null)
            throw DatasetErrors.Data(_path!, "keys its rows by 'file', but a raw dataset has one file for all samples: key them by 'index'");

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        while (lines.MoveNext())
        {
            var (text, number) = lines.Current;
            var cells = text.Split('\t');
            int keyColumn = byFile ? fileColumn : indexColumn;
            if (cells.Length <= Math.Max(keyColumn, labelColumn))
                throw DatasetErrors.Data(_path!, $"line {number}: has {cells.Length} columns, the header has {header.Length}");
            var key = cells[keyColumn].Trim();
            if (!rows.TryAdd(key, ParseLabel(cells[labelColumn], number)))
                throw DatasetErrors.Data(_path!, $"line {number}: a second row for '{key}'");
        }

        var labels = new int[source.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            var key = byFile ? source.Files!.Names[i] : i.ToString(CultureInfo.InvariantCulture);
            if (!rows.TryGetValue(key, out labels[i]))
                throw DatasetErrors.Data(_path!, $"has no row for {(byFile ? "file" : "index")} '{key}'");
        }
        return labels;
    }

    private static int[] FileIndex(FileList files)
    {
        var labels = new int[files.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            var stem = Path.GetFileNameWithoutExtension(files.Paths[i]);
            if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                throw DatasetErrors.Data(files.Paths[i], "has a name that is not a number, so labels.format 'file-index' cannot label it");
        }
        return labels;
    }

    private static int Column(string[] header, string name) =>
        Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));

    private int ParseLabel(string text, int lineNumber) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var label)
            ? label
            : throw DatasetErrors.Data(_path!, $"line {lineNumber}: '{text.Trim()}' is not a label (an integer >= 0)");

    /// <summary>Non-blank lines with their 1-based line numbers.</summary>
    private IEnumerable<(string Text, int Number)> TextLines()
    {
        var text = Encoding.UTF8.GetString(DatasetErrors.ReadAllBytes(_path!)).TrimStart('\uFEFF');
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (!string.IsNullOrWhiteSpace(line)) yield return (line, i + 1);
        }
    }
}
