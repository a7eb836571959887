namespace QuantuneV2.Data.Sources;

/// <summary>
/// All samples a spec's files hold, before subset selection. Implementations are immutable once
/// opened so that <see cref="Load"/> may run on many threads at once.
/// </summary>
internal interface ISampleSource
{
    int Count { get; }

    /// <summary>Dims of one sample's input tensor, e.g. [1,3,224,224].</summary>
    int[] Dims { get; }

    /// <summary>The files behind the samples, one per sample; null when samples are records of one file.</summary>
    FileList? Files { get; }

    /// <summary>Every file and scanned folder the samples come from: what a build must watch for changes.</summary>
    IEnumerable<string> InputPaths { get; }

    /// <summary>Writes sample <paramref name="sample"/> as float32 into <paramref name="destination"/> (exactly the element count of <see cref="Dims"/>).</summary>
    void Load(int sample, Span<float> destination);

    /// <summary>Names the sample for messages: a file name, or file[record].</summary>
    string Describe(int sample);
}
