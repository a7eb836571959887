using QuantuneV2.Core.IR;
using QuantuneV2.Data.Sources;
using QuantuneV2.Data.Spec;

namespace QuantuneV2.Data;

/// <summary>
/// The samples a dataset spec describes (a JSON file, see docs/datasets.md), each turned into the
/// model's float32 input tensor; one type for calibration, sensitivity analysis and evaluation.
/// Immutable once loaded, so samples may be loaded from many threads at once.
/// </summary>
public sealed class Dataset
{
    private readonly ISampleSource _source;
    private readonly int[] _samples;
    private readonly int[]? _labels;
    private readonly int[] _dims;

    private Dataset(string specPath, string kind, ISampleSource source, int[] samples, int[]? labels, IReadOnlyList<string> inputPaths)
    {
        SpecPath = specPath;
        InputPaths = inputPaths;
        Kind = kind;
        _source = source;
        _samples = samples;
        _labels = labels;
        _dims = source.Dims;
        SampleLength = checked((int)_dims.Aggregate(1L, (n, d) => n * d));
    }

    /// <summary>Reads a spec and opens its data; a QuantuneException QV0030 when the spec is wrong, QV0031 when a data file is missing or corrupt.</summary>
    public static Dataset Load(string specPath) => Load(specPath, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    /// <summary>As <see cref="Load(string)"/>, with the environment and current directory given (for tests).</summary>
    internal static Dataset Load(string specPath, Func<string, string?> environment, string currentDirectory)
    {
        var path = Path.GetFullPath(specPath, currentDirectory);
        return Load(path, ReadSpec(path), [path], environment, currentDirectory);
    }

    /// <summary>
    /// A plain folder of images (JPEG, PNG) as an unlabelled dataset, each image preprocessed as the
    /// <c>preprocess</c> object in the JSON file <paramref name="preprocessPath"/> says (docs/datasets.md;
    /// null: the defaults). The same as a spec of kind <c>images</c> with that folder and preprocess.
    /// </summary>
    public static Dataset FromImageFolder(string folder, string? preprocessPath) =>
        FromImageFolder(folder, preprocessPath, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    internal static Dataset FromImageFolder(string folder, string? preprocessPath, Func<string, string?> environment, string currentDirectory)
    {
        folder = Path.GetFullPath(folder, currentDirectory);
        var preprocess = "{}";
        if (preprocessPath is not null)
        {
            preprocessPath = Path.GetFullPath(preprocessPath, currentDirectory);
            preprocess = ReadSpec(preprocessPath);
        }
        // Errors name the preprocess file (its fields are the only ones a user wrote), else the folder.
        var origin = preprocessPath ?? folder;
        // The preprocess text starts on line 1, so JSON errors give its own line numbers.
        var text = $"{{\"preprocess\": {preprocess}\n, \"kind\": \"images\", \"path\": {System.Text.Json.JsonSerializer.Serialize(folder)} }}";
        return Load(origin, text, preprocessPath is null ? [] : [preprocessPath], environment, currentDirectory);
    }

    private static Dataset Load(string path, string text, string[] specFiles, Func<string, string?> environment, string currentDirectory)
    {
        var context = new SpecContext(path, environment, currentDirectory);
        var spec = SpecObject.Parse(context, text);

        // Every field is read and checked before any data file is opened: a typo is reported as such,
        // not as the missing file it may cause. The description is for people: reading it marks it known.
        spec.String("description");
        var kind = spec.Choice("kind", "images", "raw", "tensors")
            ?? throw spec.Missing("kind", "images, raw or tensors");
        var labels = LabelSpec.Parse(spec.Object("labels"), filePerSample: kind != "raw");
        var subset = Subset.Parse(spec.Object("subset"));
        bool classFolders = labels?.ClassFolders == true;
        var open = kind switch
        {
            "images" => ImageSource.Parse(spec, classFolders),
            "raw" => RawSource.Parse(spec),
            _ => TensorSource.Parse(spec, classFolders),
        };
        spec.RejectUnknownFields();

        var source = open();
        string[] inputs = [.. specFiles, .. source.InputPaths, .. labels?.FilePath is { } l ? [l] : Array.Empty<string>()];
        return new Dataset(path, kind, source, subset.Select(source.Count), labels?.Read(source), inputs);
    }

    /// <summary>
    /// Every file and scanned folder the samples depend on (spec, data, labels), absolute: a build
    /// re-runs its work when one of them changes.
    /// </summary>
    public IReadOnlyList<string> InputPaths { get; }

    /// <summary>The spec file, as an absolute path.</summary>
    public string SpecPath { get; }

    /// <summary>images, raw or tensors.</summary>
    public string Kind { get; }

    /// <summary>Samples after subset selection.</summary>
    public int Count => _samples.Length;

    /// <summary>Dims of the tensor each sample becomes, e.g. [1,3,224,224] (a copy).</summary>
    public int[] SampleDims => (int[])_dims.Clone();

    /// <summary>Elements per sample: the length <see cref="LoadInput(int, Span{float})"/> expects.</summary>
    public int SampleLength { get; }

    /// <summary><see cref="SampleDims"/> as text, e.g. "[1,1,32,32]", for comparing with a model input in messages.</summary>
    public string SampleShape => "[" + string.Join(",", _dims) + "]";

    public bool HasLabels => _labels is not null;

    /// <summary>Sample <paramref name="index"/> as a new float32 tensor of <see cref="SampleDims"/>.</summary>
    public Tensor LoadInput(int index)
    {
        var data = new float[SampleLength];
        LoadInput(index, data);
        return Tensor.FromFloats(data, SampleDims);
    }

    /// <summary>Writes sample <paramref name="index"/> into <paramref name="destination"/>, which holds exactly <see cref="SampleLength"/> floats.</summary>
    public void LoadInput(int index, Span<float> destination)
    {
        CheckIndex(index);
        if (destination.Length != SampleLength)
            throw new ArgumentException($"destination holds {destination.Length} floats, a sample of {SampleShape} has {SampleLength}", nameof(destination));
        _source.Load(_samples[index], destination);
    }

    /// <summary>The class label of sample <paramref name="index"/>, or -1 when the spec has no labels.</summary>
    public int Label(int index)
    {
        CheckIndex(index);
        return _labels is null ? -1 : _labels[_samples[index]];
    }

    /// <summary>Names sample <paramref name="index"/> for messages: "images/0042.jpg", "t10k-images.u8[17]".</summary>
    public string Describe(int index)
    {
        CheckIndex(index);
        return _source.Describe(_samples[index]);
    }

    /// <summary>
    /// Checks that the samples fit a model input of <paramref name="shape"/> (symbolic dims such as a batch
    /// "N" accept any size); a QuantuneException QV0030 naming both shapes otherwise.
    /// </summary>
    public void CheckModelInput(string inputName, Shape shape)
    {
        bool fits = shape.Rank == _dims.Length;
        for (int i = 0; fits && i < _dims.Length; i++) fits = !shape[i].IsKnown || shape[i].Value == _dims[i];
        if (!fits)
            throw DatasetErrors.Spec(SpecPath, $"gives inputs of {SampleShape}, but model input '{inputName}' is {shape}: check preprocess (resize, crop, pad, color, layout) or the tensor files");
    }

    public override string ToString() =>
        $"{Path.GetFileName(SpecPath)}: {Kind}, {Count} samples of f32{SampleShape}, {(HasLabels ? "labelled" : "unlabelled")}";

    private void CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }

    private static string ReadSpec(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DatasetErrors.Spec(path, $"file not found ({path})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetErrors.Spec(path, $"cannot be read: {e.Message}");
        }
    }
}
