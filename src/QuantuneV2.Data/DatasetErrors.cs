using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Data;

/// <summary>
/// The two ways a dataset can fail for a user: the spec is wrong (QV0030) or a data file is missing or
/// corrupt (QV0031). Messages name the file by its short name; <see cref="QuantuneException.File"/>
/// carries the full path so front ends can print the canonical "file: error QVnnnn: ..." line.
/// </summary>
internal static class DatasetErrors
{
    public static QuantuneException Spec(string specPath, string message) =>
        new(DiagnosticCode.DatasetSpec, $"dataset spec '{Path.GetFileName(specPath)}': {message}", specPath);

    public static QuantuneException Data(string file, string message, Exception? inner = null) =>
        new(DiagnosticCode.DatasetData, $"'{Path.GetFileName(file)}': {message}", file, inner: inner);

    /// <summary>Reads a whole data file, turning I/O failures into QV0031.</summary>
    public static byte[] ReadAllBytes(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Data(file, $"file not found ({file})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Data(file, $"cannot be read: {e.Message}", e);
        }
    }
}
