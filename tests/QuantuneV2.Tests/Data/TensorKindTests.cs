using System.Runtime.InteropServices;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;
using QuantuneV2.Data.Tensors;

namespace QuantuneV2.Tests.Data;

/// <summary>Kind "tensors" and the .npy reader, on .npy files whose headers the test builds by hand.</summary>
public sealed class TensorKindTests : IDisposable
{
    private readonly TempData _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void Float32NpyRoundTrips()
    {
        float[] a = [0.5f, -1.25f, 3, 4, 5, 6e-7f], b = [-0.5f, 1, 2, 3, 4, float.MaxValue];
        _temp.Write("t/a.npy", TempData.Npy("<f4", [1, 2, 3], Bytes(a)));
        _temp.Write("t/b.npy", TempData.Npy("<f4", [1, 2, 3], Bytes(b)));
        var d = _temp.Load("""{ "kind": "tensors", "path": "t" }""");

        Assert.Equal(2, d.Count);
        Assert.Equal([1, 2, 3], d.SampleDims);
        Assert.False(d.HasLabels);
        Assert.Equal(a, d.LoadInput(0).Floats.ToArray());
        Assert.Equal(b, d.LoadInput(1).Floats.ToArray());
        Assert.Equal("b.npy", d.Describe(1));
    }

    [Fact]
    public void OnnxTensorProtoFilesLoad()
    {
        var t = Tensor.FromFloats([1.5f, -2, 3, 4], 1, 4);
        QuantuneV2.Onnx.OnnxModel.WriteTensor(_temp.Write("pb/x.pb", []), t);
        var d = _temp.Load("""{ "kind": "tensors", "path": "pb" }""");
        Assert.Equal([1, 4], d.SampleDims);
        Assert.Equal(t.Floats.ToArray(), d.LoadInput(0).Floats.ToArray());
        var bad = Assert.Throws<QuantuneException>(() => TensorFileReader.Read(_temp.Write("bad.pb", [0xff, 0xff, 0xff])));
        Assert.Equal(DiagnosticCode.DatasetData, bad.Code);
    }

    [Fact]
    public void ReaderKeepsTheStoredElementType()
    {
        var u8 = TensorFileReader.Read(_temp.Write("u.npy", TempData.Npy("|u1", [3], [1, 2, 255])));
        Assert.Equal(DataType.UInt8, u8.DataType);
        Assert.Equal([3], u8.Dims);
        var i64 = TensorFileReader.Read(_temp.Write("l.npy", TempData.Npy("<i8", [2, 1], Bytes(-7L, 1L << 40))));
        Assert.Equal(DataType.Int64, i64.DataType);
        Assert.Equal([-7L, 1L << 40], i64.ToInt64Array());
        var scalar = TensorFileReader.Read(_temp.Write("s.npy", TempData.Npy("<f8", [], Bytes(2.5))));
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(2.5, ((double[])scalar.Data)[0]);
    }

    [Fact]
    public void IntegerTensorsBecomeFloatInputs()
    {
        _temp.Write("u8/a.npy", TempData.Npy("|u1", [1, 4], [0, 1, 128, 255]));
        Assert.Equal([0f, 1, 128, 255], _temp.Load("""{ "kind": "tensors", "path": "u8" }""").LoadInput(0).Floats.ToArray());
        _temp.Write("i64/a.npy", TempData.Npy("<i8", [2], Bytes(-3L, 40L)));
        Assert.Equal([-3f, 40], _temp.Load("""{ "kind": "tensors", "path": "i64" }""").LoadInput(0).Floats.ToArray());
    }

    [Fact]
    public void ShapeReinterpretsTheElements()
    {
        _temp.Write("t/a.npy", TempData.Npy("<f4", [2, 3], Bytes(1f, 2, 3, 4, 5, 6)));
        var d = _temp.Load("""{ "kind": "tensors", "path": "t", "shape": [1, 1, 2, 3] }""");
        Assert.Equal([1, 1, 2, 3], d.SampleDims);
        Assert.Equal("[1,1,2,3]", d.SampleShape);

        _temp.LoadFails("""{ "kind": "tensors", "path": "t", "shape": [1, 3, 3] }""", DiagnosticCode.DatasetData, "a.npy");
    }

    [Fact]
    public void FilesListWithLabelLines()
    {
        _temp.Write("x/one.npy", TempData.Npy("<f4", [1], Bytes(1f)));
        _temp.Write("x/two.npy", TempData.Npy("<f4", [1], Bytes(2f)));
        _temp.Write("labels.txt", "5\n3\n");
        var d = _temp.Load("""{ "kind": "tensors", "files": ["x/two.npy", "x/one.npy"], "labels": { "format": "lines", "path": "labels.txt" } }""");
        Assert.Equal([2f], d.LoadInput(0).Floats.ToArray());
        Assert.Equal("x/two.npy", d.Describe(0));
        Assert.Equal([5, 3], Enumerable.Range(0, 2).Select(d.Label));
    }

    [Fact]
    public void EverySampleMustHaveTheFirstShape()
    {
        _temp.Write("t/a.npy", TempData.Npy("<f4", [2], Bytes(1f, 2)));
        _temp.Write("t/b.npy", TempData.Npy("<f4", [3], Bytes(1f, 2, 3)));
        var d = _temp.Load("""{ "kind": "tensors", "path": "t" }""");
        var e = Assert.Throws<QuantuneException>(() => d.LoadInput(1));
        Assert.Equal(DiagnosticCode.DatasetData, e.Code);
        Assert.Contains("b.npy", e.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("magic")]
    [InlineData("fortran")]
    [InlineData("big-endian")]
    public void BrokenNpyIsADataError(string broken)
    {
        var good = TempData.Npy("<f4", [2, 2], Bytes(1f, 2, 3, 4));
        var file = broken switch
        {
            "truncated" => good[..^1],
            "magic" => [.. "PK"u8, .. good[2..]],
            "fortran" => TempData.Npy("<f4", [2, 2], Bytes(1f, 2, 3, 4), fortranOrder: true),
            _ => TempData.Npy(">f4", [2, 2], Bytes(1f, 2, 3, 4)),
        };
        _temp.Write("t/bad.npy", file);
        _temp.LoadFails("""{ "kind": "tensors", "path": "t" }""", DiagnosticCode.DatasetData, "bad.npy");
    }

    [Fact]
    public void UnknownTensorFileTypeIsADataError()
    {
        _temp.Write("input_0.pt", [8, 1]);
        var e = _temp.LoadFails("""{ "kind": "tensors", "files": ["input_0.pt"] }""", DiagnosticCode.DatasetData, "input_0.pt");
        Assert.Contains(".npy", e.Message);
        Assert.Contains(".pb", e.Message);
    }
}
