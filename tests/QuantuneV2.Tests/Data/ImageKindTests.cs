using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Tests.Data;

/// <summary>
/// Kind "images" on PNGs written by the test. Expected resize results were computed with Pillow 9.4
/// (<c>Image.resize(size, Image.BILINEAR)</c>, <c>convert("L")</c>) on the same pixels.
/// </summary>
public sealed class ImageKindTests : IDisposable
{
    private readonly TempData _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The test image: pixel (y, x, c) = (37x + 11y + 53c + 29xy) mod 256.</summary>
    private static byte[] Pattern(int height, int width)
    {
        var p = new byte[height * width * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    p[(y * width + x) * 3 + c] = (byte)((x * 37 + y * 11 + c * 53 + x * y * 29) % 256);
        return p;
    }

    private void WritePattern(string name, int height, int width) =>
        _temp.Write(name, TempData.Png(width, height, 3, Pattern(height, width)));

    /// <summary>Raw pixel values out: scale 1, no mean, channels last, so the tensor is the 8-bit image.</summary>
    private static string Spec(string preprocess) =>
        $$"""{ "kind": "images", "path": "img", "preprocess": { "layout": "NHWC", {{preprocess}} } }""";

    [Fact]
    public void ShorterSideResizeMatchesPillowBilinear()
    {
        WritePattern("img/a.png", 5, 7);
        var d = _temp.Load(Spec("\"resize\": 3"));
        // torchvision Resize(3) on 7x5: the shorter side becomes 3, the longer int(3 * 7 / 5) = 4.
        Assert.Equal([1, 3, 4, 3], d.SampleDims);
        int[] pillow = [31, 84, 137, 107, 130, 183, 119, 142, 166, 166, 142, 75, 69, 116, 144, 134, 98, 139, 113, 122, 175, 125, 117, 140, 101, 154, 97, 127, 139, 141, 121, 133, 186, 100, 153, 130];
        Assert.Equal(pillow.Select(v => (float)v), d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void UpscaleToExactSizeMatchesPillowBilinear()
    {
        WritePattern("img/a.png", 2, 3);
        var d = _temp.Load(Spec("\"resize\": [3, 5]"));
        Assert.Equal([1, 3, 5, 3], d.SampleDims);
        int[] pillow = [0, 53, 106, 15, 68, 121, 37, 90, 143, 59, 112, 165, 74, 127, 180, 6, 59, 112, 26, 79, 132, 57, 110, 163, 88, 141, 194, 109, 162, 215, 11, 64, 117, 37, 90, 143, 77, 130, 183, 117, 170, 223, 143, 196, 249];
        Assert.Equal(pillow.Select(v => (float)v), d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void GrayConvertsLikePillowBeforeResizing()
    {
        WritePattern("img/a.png", 5, 7);
        var d = _temp.Load(Spec("\"color\": \"gray\", \"resize\": [3, 4]"));
        Assert.Equal([1, 3, 4, 1], d.SampleDims);
        int[] pillow = [74, 129, 137, 141, 104, 113, 126, 122, 131, 136, 135, 135];
        Assert.Equal(pillow.Select(v => (float)v), d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void CenterCropRoundsHalfToEvenAsTorchvision()
    {
        WritePattern("img/a.png", 5, 7);
        var d = _temp.Load(Spec("\"crop\": [3, 4]"));
        // top = round((5 - 3) / 2) = 1, left = round((7 - 4) / 2) = round(1.5) = 2.
        Assert.Equal([1, 3, 4, 3], d.SampleDims);
        var image = Pattern(5, 7);
        var expected = new List<float>();
        for (int y = 1; y < 4; y++)
            for (int x = 2; x < 6; x++)
                for (int c = 0; c < 3; c++) expected.Add(image[(y * 7 + x) * 3 + c]);
        Assert.Equal(expected, d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void TorchvisionStyleNormalisationIsPerChannelNchw()
    {
        WritePattern("img/a.png", 5, 7);
        var d = _temp.Load("""
            { "kind": "images", "path": "img",
              "preprocess": { "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] } }
            """);
        Assert.Equal([1, 3, 5, 7], d.SampleDims);
        var x = d.LoadInput(0).Floats;
        var image = Pattern(5, 7);
        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        // Pixel (y 2, x 3) of each RGB channel.
        for (int c = 0; c < 3; c++)
            Assert.Equal((image[(2 * 7 + 3) * 3 + c] / 255.0 - mean[c]) / std[c], x[c * 35 + 2 * 7 + 3], 5);
    }

    [Fact]
    public void GrayImageBecomesThreeEqualChannels()
    {
        _temp.Write("img/g.png", TempData.Png(2, 1, 1, [10, 200]));
        var d = _temp.Load("""{ "kind": "images", "path": "img", "preprocess": { "color": "bgr" } }""");
        Assert.Equal([10f, 200, 10, 200, 10, 200], d.LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void ClassSubfoldersGiveLabelsInNameOrder()
    {
        WritePattern("img/dog/b.png", 2, 2);
        WritePattern("img/cat/a.png", 2, 2);
        WritePattern("img/dog/c.png", 2, 2);
        var d = _temp.Load("""{ "kind": "images", "path": "img", "labels": { "format": "folder" } }""");
        Assert.Equal(["cat/a.png", "dog/b.png", "dog/c.png"], Enumerable.Range(0, 3).Select(d.Describe));
        Assert.Equal([0, 1, 1], Enumerable.Range(0, 3).Select(d.Label));
    }

    [Fact]
    public void TsvLabelsMatchFilesByName()
    {
        WritePattern("img/x.png", 2, 2);
        WritePattern("img/y.png", 2, 2);
        _temp.Write("labels.tsv", "file\twnid\tlabel\ny.png\tn02\t7\nx.png\tn01\t3\n");
        var d = _temp.Load("""{ "kind": "images", "path": "img", "labels": { "format": "tsv", "path": "labels.tsv" } }""");
        Assert.Equal([3, 7], Enumerable.Range(0, 2).Select(d.Label));

        _temp.Write("labels.tsv", "file\tlabel\nx.png\t3\n");
        _temp.LoadFails("""{ "kind": "images", "path": "img", "labels": { "format": "tsv", "path": "labels.tsv" } }""", DiagnosticCode.DatasetData, "labels.tsv");
    }

    [Fact]
    public void FileIndexNeedsNumericNames()
    {
        WritePattern("img/0007.png", 2, 2);
        var d = _temp.Load("""{ "kind": "images", "path": "img", "labels": { "format": "file-index" } }""");
        Assert.Equal(7, d.Label(0));

        WritePattern("img/cat.png", 2, 2);
        _temp.LoadFails("""{ "kind": "images", "path": "img", "labels": { "format": "file-index" } }""", DiagnosticCode.DatasetData, "cat.png");
    }

    [Fact]
    public void ImagesOfAnotherSizeNeedACrop()
    {
        WritePattern("img/a.png", 4, 4);
        WritePattern("img/b.png", 4, 5);
        var d = _temp.Load("""{ "kind": "images", "path": "img" }""");
        d.LoadInput(0);
        var e = Assert.Throws<QuantuneException>(() => d.LoadInput(1));
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
        Assert.Contains("b.png", e.Message);

        var cropped = _temp.Load("""{ "kind": "images", "path": "img", "preprocess": { "crop": 3 } }""");
        Assert.Equal([1, 3, 3, 3], cropped.SampleDims);
        cropped.LoadInput(1);
    }

    [Fact]
    public void CropLargerThanTheImageIsADataError()
    {
        WritePattern("img/a.png", 4, 4);
        _temp.LoadFails("""{ "kind": "images", "path": "img", "preprocess": { "crop": 8 } }""", DiagnosticCode.DatasetData, "a.png");
    }

    [Fact]
    public void CorruptImageIsADataError()
    {
        WritePattern("img/a.png", 2, 2);
        var png = TempData.Png(2, 2, 3, new byte[12]);
        _temp.Write("img/b.png", png[..40]);
        var d = _temp.Load("""{ "kind": "images", "path": "img" }""");
        var e = Assert.Throws<QuantuneException>(() => d.LoadInput(1));
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
        Assert.Contains("b.png", e.Message);

        _temp.Write("img/0.png", "not an image");
        _temp.LoadFails("""{ "kind": "images", "path": "img" }""", DiagnosticCode.DatasetData, "0.png");
    }

    [Fact]
    public async Task TruncatedJpegFailsInsteadOfHanging()
    {
        // SOI, then an APP0 segment claiming 4096 bytes in an 8-byte file: StbImageSharp on a plain
        // MemoryStream seeks past the end and never sees it, looping for ever.
        _temp.Write("img/a.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x10, 0x00, (byte)'J', (byte)'F']);
        var load = Task.Run(() => Assert.Throws<QuantuneException>(() => _temp.Load("""{ "kind": "images", "path": "img" }""")));
        var e = await load.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
        Assert.Contains("a.jpg", e.Message);
    }

    [Fact]
    public void EmptyFolderIsADataError()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Folder, "img"));
        _temp.LoadFails("""{ "kind": "images", "path": "img" }""", DiagnosticCode.DatasetData, "img");
    }
}

/// <summary>A plain folder of images with a preprocess file (the CLI's --calib FOLDER --preprocess, MSBuild's Calibration folder).</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempData _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Folder(TempData t) => Path.Combine(t.Folder, "img");

    [Fact]
    public void AFolderWithAPreprocessFileIsTheImagesSpecOfBoth()
    {
        for (int i = 0; i < 3; i++) _temp.Write($"img/{i}.png", TempData.Png(4, 5, 3, [.. Enumerable.Range(0, 60).Select(v => (byte)(v * 7 + i))]));
        var preprocess = _temp.Write("pre.json", """{ "color": "bgr", "crop": 4, "mean": [1, 2, 3] /* comments work */ }""");
        var folder = QuantuneV2.Data.Dataset.FromImageFolder(Folder(_temp), preprocess, _ => null, _temp.Folder);
        var spec = _temp.Load("""{ "kind": "images", "path": "img", "preprocess": { "color": "bgr", "crop": 4, "mean": [1, 2, 3] } }""");
        Assert.Equal((spec.Count, spec.SampleShape), (folder.Count, folder.SampleShape));
        for (int i = 0; i < spec.Count; i++) Assert.Equal(spec.LoadInput(i).Floats.ToArray(), folder.LoadInput(i).Floats.ToArray());
        Assert.False(folder.HasLabels);
        // What a build watches: the preprocess file, the folder (files added or removed) and every image.
        Assert.Equal([preprocess, Folder(_temp), .. Enumerable.Range(0, 3).Select(i => Path.Combine(Folder(_temp), $"{i}.png"))], folder.InputPaths);
        Assert.Equal(spec.SpecPath, spec.InputPaths[0]);
    }

    [Fact]
    public void ErrorsNameThePreprocessFileOrTheFolder()
    {
        _temp.Write("img/a.png", TempData.Png(2, 2, 3, new byte[12]));
        var bad = _temp.Write("pre.json", """{ "colour": "bgr" }""");
        var e = Assert.Throws<QuantuneException>(() => QuantuneV2.Data.Dataset.FromImageFolder(Folder(_temp), bad, _ => null, _temp.Folder));
        Assert.Equal((DiagnosticCode.DatasetSpec, true), (e.Code, e.Message.Contains("pre.json") && e.Message.Contains("preprocess.colour")));
        Directory.CreateDirectory(Path.Combine(_temp.Folder, "empty"));
        e = Assert.Throws<QuantuneException>(() => QuantuneV2.Data.Dataset.FromImageFolder(Path.Combine(_temp.Folder, "empty"), null, _ => null, _temp.Folder));
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
        Assert.Contains("empty", e.Message);
    }
}
