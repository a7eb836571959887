using QuantuneV2.Data.Spec;
using QuantuneV2.Data.Tensors;

namespace QuantuneV2.Data.Sources;

/// <summary>
/// Kind <c>tensors</c>: one tensor file per sample (see <see cref="TensorFileReader"/>), fed as stored and
/// converted to float32. Every file must have the first file's shape; <c>shape</c> in the spec
/// reinterprets the elements (e.g. a stored [3,224,224] as [1,3,224,224]).
/// </summary>
internal sealed class TensorSource : ISampleSource
{
    private readonly bool _reshaped;

    private TensorSource(FileList files, int[]? shape)
    {
        Files = files;
        var first = TensorFileReader.Read(files.Paths[0]);
        if (shape is not null && shape.Aggregate(1L, (n, d) => n * d) != first.Length)
            throw DatasetErrors.Data(files.Paths[0], $"holds {first} ({first.Length} elements), which the spec's shape [{string.Join(",", shape)}] cannot hold");
        _reshaped = shape is not null;
        Dims = shape ?? first.Dims;
    }

    public int Count => Files.Count;
    public int[] Dims { get; }
    public FileList Files { get; }

    public IEnumerable<string> InputPaths => Files.Folders.Concat(Files.Paths);

    public static Func<ISampleSource> Parse(SpecObject spec, bool classFolders)
    {
        var files = FileList.Parse(spec, TensorFileReader.Extensions, classFolders);
        var shape = spec.Ints("shape", 1);
        return () => new TensorSource(files(), shape);
    }

    public void Load(int sample, Span<float> destination)
    {
        var path = Files.Paths[sample];
        var tensor = TensorFileReader.Read(path);
        bool fits = _reshaped ? tensor.Length == destination.Length : tensor.Dims.AsSpan().SequenceEqual(Dims);
        if (!fits)
            throw DatasetErrors.Data(path, $"holds {tensor}, but the first file ({Files.Names[0]}) gives [{string.Join(",", Dims)}]: every sample must have one shape");
        if (tensor.Data is float[] floats) floats.AsSpan(0, tensor.Length).CopyTo(destination);
        else tensor.ToFloatArray().CopyTo(destination);
    }

    public string Describe(int sample) => Files.Names[sample];
}
