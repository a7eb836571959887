using QuantuneV2.Data.Imaging;
using QuantuneV2.Data.Spec;

namespace QuantuneV2.Data.Sources;

/// <summary>
/// Kind <c>raw</c>: one file of headerless uint8 images back to back, each height x width x channels
/// (interleaved), after an optional header. The file is read once when the dataset opens; samples are
/// slices of that buffer, so parallel loads share it without locking.
/// </summary>
internal sealed class RawSource : ISampleSource
{
    private readonly string _path;
    private readonly byte[] _data;
    private readonly int _headerBytes, _width, _height, _channels;
    private readonly Preprocess _preprocess;

    private RawSource(string path, byte[] data, int headerBytes, int width, int height, int channels, Preprocess preprocess)
    {
        _path = path;
        _data = data;
        _headerBytes = headerBytes;
        _width = width;
        _height = height;
        _channels = channels;
        _preprocess = preprocess;
        Count = (data.Length - headerBytes) / SampleBytes;
        var (h, w) = preprocess.OutputSize(height, width, path);
        Dims = preprocess.Dims(h, w);
    }

    public int Count { get; }
    public int[] Dims { get; }
    public FileList? Files => null;

    public IEnumerable<string> InputPaths => [_path];

    private int SampleBytes => _width * _height * _channels;

    /// <summary>Reads the raw fields; the returned function checks the required ones (after unknown fields are reported) and reads the file.</summary>
    public static Func<ISampleSource> Parse(SpecObject spec)
    {
        var path = spec.PathField("path");
        var width = spec.Int("width", 1);
        var height = spec.Int("height", 1);
        var channels = spec.Int("channels", 1) ?? 1;
        var headerBytes = spec.Int("headerBytes", 0) ?? 0;
        if (channels is not (1 or 3)) throw spec.Error("channels", $"must be 1 (gray) or 3 (RGB), got {channels}");
        var preprocess = Preprocess.Parse(spec.Object("preprocess"), channels);
        return () => Open(
            path ?? throw spec.Missing("path", "the raw file"),
            headerBytes,
            width ?? throw spec.Missing("width", "pixels per row"),
            height ?? throw spec.Missing("height", "rows per image"),
            channels,
            preprocess);
    }

    private static RawSource Open(string path, int headerBytes, int width, int height, int channels, Preprocess preprocess)
    {
        long sampleBytes = (long)width * height * channels;
        if (sampleBytes > int.MaxValue) throw DatasetErrors.Data(path, $"cannot hold {width}x{height}x{channels} samples: one is larger than 2 GiB");
        var data = DatasetErrors.ReadAllBytes(path);
        long body = data.Length - (long)headerBytes;
        if (body < sampleBytes)
            throw DatasetErrors.Data(path, $"has {data.Length} bytes, less than the {headerBytes}-byte header plus one {width}x{height}x{channels} sample ({sampleBytes} bytes)");
        if (body % sampleBytes != 0)
            throw DatasetErrors.Data(path, $"has {data.Length} bytes: after the {headerBytes}-byte header that is not a whole number of {width}x{height}x{channels} samples ({sampleBytes} bytes each; {body / sampleBytes} whole and {body % sampleBytes} bytes left over). The file is truncated, or width/height/channels/headerBytes are wrong");
        return new RawSource(path, data, headerBytes, width, height, channels, preprocess);
    }

    public void Load(int sample, Span<float> destination) =>
        _preprocess.Run(_data.AsSpan(_headerBytes + sample * SampleBytes, SampleBytes), _height, _width, destination);

    public string Describe(int sample) => $"{Path.GetFileName(_path)}[{sample}]";
}
