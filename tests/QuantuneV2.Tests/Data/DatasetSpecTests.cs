using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Data;
using QuantuneV2.Data.Spec;

namespace QuantuneV2.Tests.Data;

/// <summary>Spec parsing, paths, subsets and errors, on a small raw dataset written by the test.</summary>
public sealed class DatasetSpecTests : IDisposable
{
    private const string Raw = """{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "u8", "path": "labels.u8" }""";

    private readonly TempData _temp = new();

    /// <summary>Ten 2x3 gray samples: sample i holds bytes 10i .. 10i+5; label of sample i is 9 - i.</summary>
    public DatasetSpecTests()
    {
        _temp.Write("data.u8", [.. Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(10 * i, 6).Select(v => (byte)v))]);
        _temp.Write("labels.u8", [.. Enumerable.Range(0, 10).Select(i => (byte)(9 - i))]);
    }

    public void Dispose() => _temp.Dispose();

    private Dataset LoadRaw(string more = "") => _temp.Load(Raw + more + "}");

    private static int[] Records(Dataset d) =>
        [.. Enumerable.Range(0, d.Count).Select(i => int.Parse(d.Describe(i)["data.u8[".Length..^1]))];

    [Fact]
    public void RawSamplesAreRecordsOfOneFile()
    {
        var d = LoadRaw();
        Assert.Equal(10, d.Count);
        Assert.Equal([1, 1, 2, 3], d.SampleDims);
        Assert.Equal("raw", d.Kind);
        Assert.Equal([30f, 31, 32, 33, 34, 35], d.LoadInput(3).Floats.ToArray());
        Assert.Equal(6, d.Label(3));
        Assert.Equal("data.u8[3]", d.Describe(3));
    }

    [Fact]
    public void HeaderBytesAndPaddingAreApplied()
    {
        _temp.Write("idx.u8", [1, 2, 3, 4, 200, 201]);
        var d = _temp.Load("""{ "kind": "raw", "path": "idx.u8", "width": 1, "height": 2, "headerBytes": 4, "preprocess": { "pad": 1, "padValue": 7 } }""");
        Assert.Equal([1, 1, 4, 3], d.SampleDims);
        Assert.False(d.HasLabels);
        Assert.Equal(-1, d.Label(0));
        Assert.Equal([7f, 7, 7, 7, 200, 7, 7, 201, 7, 7, 7, 7], d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void SubsetStepTakesEveryKth()
    {
        var d = LoadRaw(""", "subset": { "step": 3 }""");
        Assert.Equal([0, 3, 6, 9], Records(d));
        Assert.Equal([9, 6, 3, 0], Enumerable.Range(0, d.Count).Select(d.Label));
        Assert.Equal(60f, d.LoadInput(2).Floats[0]);
    }

    [Fact]
    public void SubsetSliceAndIndexList()
    {
        Assert.Equal([2, 3, 4], Records(LoadRaw(""", "subset": { "start": 2, "stop": 5 }""")));
        Assert.Equal([0, 1, 2], Records(LoadRaw(""", "subset": { "stop": 3 }""")));
        Assert.Equal([1, 5, 9], Records(LoadRaw(""", "subset": { "start": 1, "step": 4 }""")));
        Assert.Equal([7, 1, 4], Records(LoadRaw(""", "subset": { "indices": [7, 1, 4] }""")));
    }

    [Fact]
    public void CalibrationAndEvaluationSlicesAreDisjoint()
    {
        var calib = Records(LoadRaw(""", "subset": { "stop": 4 }"""));
        var eval = Records(LoadRaw(""", "subset": { "start": 4 }"""));
        Assert.Empty(calib.Intersect(eval));
        Assert.Equal(Enumerable.Range(0, 10), calib.Concat(eval).Order());
    }

    [Theory]
    [InlineData("""{ "stop": 11 }""", "past the end")]
    [InlineData("""{ "start": 10 }""", "select no samples")]
    [InlineData("""{ "indices": [3, 10] }""", "out of range")]
    [InlineData("""{ "indices": [3, 3] }""", "twice")]
    [InlineData("""{ "indices": [1], "step": 2 }""", "cannot be combined")]
    [InlineData("""{ "step": 0 }""", "subset.step")]
    [InlineData("""{ "first": 5 }""", "unknown field 'subset.first'")]
    public void BadSubsetsAreSpecErrors(string subset, string message)
    {
        var e = _temp.LoadFails(Raw + ", \"subset\": " + subset + "}", DiagnosticCode.DatasetSpec, "spec.json");
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void VariablesExpandInPaths()
    {
        var shared = _temp.Load("""{ "kind": "raw", "path": "${QUANTUNE_SHARED}/data.u8", "width": 3, "height": 2 }""", ("QUANTUNE_SHARED", _temp.Folder));
        Assert.Equal(10, shared.Count);
        var custom = _temp.Load("""{ "kind": "raw", "path": "${MY_DATA}/data.u8", "width": 3, "height": 2 }""", ("MY_DATA", _temp.Folder));
        Assert.Equal(10, custom.Count);

        var unset = _temp.LoadFails("""{ "kind": "raw", "path": "${MY_DATA}/data.u8", "width": 3, "height": 2 }""", DiagnosticCode.DatasetSpec, "spec.json");
        Assert.Contains("MY_DATA", unset.Message);
        // The temp folder is in no git repository, so ${QUANTUNE_SHARED} has no default there.
        var noRepo = _temp.LoadFails("""{ "kind": "raw", "path": "${QUANTUNE_SHARED}/data.u8", "width": 3, "height": 2 }""", DiagnosticCode.DatasetSpec, "spec.json");
        Assert.Contains("QUANTUNE_SHARED", noRepo.Message);
    }

    [Fact]
    public void SharedDefaultsToSharedBesideTheGitRoot()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Folder, "repo", ".git"));
        Directory.CreateDirectory(Path.Combine(_temp.Folder, "worktree", "src"));
        _temp.Write("worktree/.git", "gitdir: elsewhere");
        var expected = Path.Combine(_temp.Folder, "shared");

        Assert.Equal(expected, SpecContext.DefaultShared(Path.Combine(_temp.Folder, "repo")));
        Assert.Equal(expected, SpecContext.DefaultShared(Path.Combine(_temp.Folder, "worktree", "src")));
        Assert.Null(SpecContext.DefaultShared(_temp.Folder));
    }

    [Fact]
    public void RelativePathsResolveAgainstTheSpecFolder()
    {
        var spec = _temp.Write("specs/raw.json", """{ "kind": "raw", "path": "../data.u8", "width": 3, "height": 2 }""");
        var d = Dataset.Load(spec, _ => null, Path.GetTempPath());
        Assert.Equal(10, d.Count);
        Assert.Equal(spec, d.SpecPath);
    }

    [Fact]
    public void SampleShapeIsCheckedAgainstTheModelInput()
    {
        var d = LoadRaw();
        d.CheckModelInput("input", new Shape([Dim.Symbol("N"), Dim.Of(1), Dim.Of(2), Dim.Of(3)]));
        var e = Assert.Throws<QuantuneException>(() => d.CheckModelInput("input", new Shape(1, 1, 32, 32)));
        Assert.Equal(DiagnosticCode.DatasetSpec, e.Code);
        Assert.Contains("[1,1,2,3]", e.Message);
        Assert.Contains("[1,1,32,32]", e.Message);
    }

    [Fact]
    public void DestinationMustHoldOneSample()
    {
        var d = LoadRaw();
        Assert.Throws<ArgumentException>(() => d.LoadInput(0, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.LoadInput(10));
    }

    [Fact]
    public void MissingSpecFileIsASpecError()
    {
        var e = Assert.Throws<QuantuneException>(() => Dataset.Load(Path.Combine(_temp.Folder, "nope.json")));
        Assert.Equal(DiagnosticCode.DatasetSpec, e.Code);
        Assert.Contains("nope.json", e.Message);
    }

    [Fact]
    public void InvalidJsonNamesTheLine()
    {
        var e = _temp.LoadFails("{\n  \"kind\": \"raw\"\n  \"path\": \"data.u8\"\n}", DiagnosticCode.DatasetSpec, "spec.json");
        Assert.Contains("line 3", e.Message);
    }

    [Theory]
    [InlineData("""{ "kind": "video", "path": "data.u8" }""", "unknown value 'video'")]
    [InlineData("""{ "path": "data.u8" }""", "'kind'")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{ "kind": "raw", "kind": "images" }""", "'kind'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": "3", "height": 2 }""", "'width'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "widht": 3, "height": 2 }""", "unknown field 'widht'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "channels": 2 }""", "'channels'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "preprocess": { "std": [1, 2] } }""", "'preprocess.std'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "preprocess": { "std": 0 } }""", "'preprocess.std'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "preprocess": { "layout": "CHW" } }""", "'preprocess.layout'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "folder" } }""", "'labels.format'")]
    [InlineData("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "u8" } }""", "'labels.path'")]
    [InlineData("""{ "kind": "images", "path": "img", "width": 3 }""", "unknown field 'width'")]
    public void BadSpecsAreSpecErrors(string json, string message)
    {
        var e = _temp.LoadFails(json, DiagnosticCode.DatasetSpec, "spec.json");
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MissingRawFileIsADataError() =>
        _temp.LoadFails("""{ "kind": "raw", "path": "gone.u8", "width": 3, "height": 2 }""", DiagnosticCode.DatasetData, "gone.u8");

    [Fact]
    public void TruncatedRawFileIsADataError()
    {
        _temp.Write("short.u8", new byte[59]);
        var e = _temp.LoadFails("""{ "kind": "raw", "path": "short.u8", "width": 3, "height": 2 }""", DiagnosticCode.DatasetData, "short.u8");
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void LabelCountMismatchIsADataError()
    {
        _temp.Write("labels.u8", new byte[9]);
        _temp.LoadFails(Raw + "}", DiagnosticCode.DatasetData, "labels.u8");
    }

    [Fact]
    public void LabelLinesAreParsedWithLineNumbers()
    {
        _temp.Write("labels.txt", string.Join("\n", Enumerable.Range(0, 10)) + "\n");
        var d = _temp.Load("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "lines", "path": "labels.txt" } }""");
        Assert.Equal(4, d.Label(4));

        _temp.Write("labels.txt", "0\nseven\n");
        var e = _temp.LoadFails("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "lines", "path": "labels.txt" } }""", DiagnosticCode.DatasetData, "labels.txt");
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void TsvLabelsByIndexWorkForRawData()
    {
        _temp.Write("labels.tsv", "index\tlabel\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i}\t{i * 2}\n")));
        var d = _temp.Load("""{ "kind": "raw", "path": "data.u8", "width": 3, "height": 2, "labels": { "format": "tsv", "path": "labels.tsv" } }""");
        Assert.Equal(18, d.Label(9));
    }
}
