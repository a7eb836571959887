using QuantuneV2.Data.Imaging;
using QuantuneV2.Data.Spec;
using StbImageSharp;

namespace QuantuneV2.Data.Sources;

/// <summary>
/// Kind <c>images</c>: one JPEG or PNG per sample, decoded to 8-bit RGB with StbImageSharp (gray images
/// are replicated to RGB, alpha is dropped, as Pillow's <c>convert("RGB")</c> does), then preprocessed.
/// The input dims come from the first image's header; every other image must give the same size, which
/// a crop guarantees.
/// </summary>
internal sealed class ImageSource : ISampleSource
{
    public static readonly IReadOnlyCollection<string> Extensions = [".jpg", ".jpeg", ".png"];

    private readonly Preprocess _preprocess;
    private readonly (int Height, int Width) _size;

    private ImageSource(FileList files, Preprocess preprocess)
    {
        Files = files;
        _preprocess = preprocess;
        var first = files.Paths[0];
        var info = ReadInfo(first);
        _size = preprocess.OutputSize(info.Height, info.Width, first);
        Dims = preprocess.Dims(_size.Height, _size.Width);
    }

    public int Count => Files.Count;
    public int[] Dims { get; }
    public FileList Files { get; }

    public IEnumerable<string> InputPaths => Files.Folders.Concat(Files.Paths);

    public static Func<ISampleSource> Parse(SpecObject spec, bool classFolders)
    {
        var files = FileList.Parse(spec, Extensions, classFolders);
        var preprocess = Preprocess.Parse(spec.Object("preprocess"), sourceChannels: 3);
        return () => new ImageSource(files(), preprocess);
    }

    public void Load(int sample, Span<float> destination)
    {
        var path = Files.Paths[sample];
        var image = Decode(path);
        var size = _preprocess.OutputSize(image.Height, image.Width, path);
        if (size != _size)
            throw DatasetErrors.Data(path, $"gives a {size.Width}x{size.Height} input after preprocessing, but the first image ({Files.Names[0]}) gives {_size.Width}x{_size.Height}: add preprocess.crop so that every image has one size");
        _preprocess.Run(image.Data, image.Height, image.Width, destination);
    }

    public string Describe(int sample) => Files.Names[sample];

    private static ImageResult Decode(string path) =>
        Stb(path, stream => ImageResult.FromStream(stream, ColorComponents.RedGreenBlue));

    private static ImageInfo ReadInfo(string path) =>
        Stb(path, ImageInfo.FromStream) ?? throw DatasetErrors.Data(path, "is not a JPEG or PNG image, or its header is corrupt or truncated");

    private static T Stb<T>(string path, Func<Stream, T> read)
    {
        try
        {
            return read(new StbStream(DatasetErrors.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is InvalidOperationException or NotImplementedException or IndexOutOfRangeException or ArgumentException or NullReferenceException or OverflowException)
        {
            // StbImageSharp reports an undecodable file with InvalidOperationException (NotImplementedException
            // for unsupported variants); the others guard its ported C against data it does not check.
            throw DatasetErrors.Data(path, $"is not an image StbImageSharp can decode ({e.Message})", e);
        }
    }

    /// <summary>
    /// The file as StbImageSharp must see it. StbImageSharp detects the end of the data by
    /// Position == Length but skips segments with Seek, which a MemoryStream lets run past the end: a
    /// JPEG segment longer than the file then made it loop for ever. Clamping the position to the end
    /// turns that into the decode error it is; a negative skip also goes to the end, as stb_image's C does.
    /// </summary>
    private sealed class StbStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override long Seek(long offset, SeekOrigin origin) =>
            Position = origin == SeekOrigin.Current && offset < 0 ? Length : Math.Min(base.Seek(offset, origin), Length);
    }
}
