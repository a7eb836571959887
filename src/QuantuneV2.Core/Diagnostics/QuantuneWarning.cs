namespace QuantuneV2.Core.Diagnostics;

/// <summary>
/// Something the user should know that does not stop the work (e.g. calibration on synthetic inputs).
/// Printed in the same canonical shape as <see cref="QuantuneException"/>, with "warning" instead of "error".
/// </summary>
public sealed record QuantuneWarning(DiagnosticCode Code, string Message, string? File = null, string? NodeName = null)
{
    public string CodeText => DiagnosticCodes.Format(Code);

    public override string ToString()
    {
        var prefix = File is null ? "" : File + ": ";
        var where = NodeName is null ? "" : $"node '{NodeName}': ";
        return $"{prefix}warning {CodeText}: {where}{Message}";
    }
}
