namespace QuantuneV2.Core.Diagnostics;

/// <summary>
/// The one error type users see: a QV code, what is wrong, and where (file, node, op type).
/// Everything the tool reports as a failure goes through this type so that every front end
/// (CLI, MSBuild task, tests) can print it the same way and never shows a stack trace.
/// </summary>
public sealed class QuantuneException : Exception
{
    public QuantuneException(DiagnosticCode code, string message, string? file = null, string? nodeName = null, string? opType = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        NodeName = nodeName;
        OpType = opType;
    }

    public DiagnosticCode Code { get; }
    public string? File { get; }
    public string? NodeName { get; }
    public string? OpType { get; }

    public string CodeText => DiagnosticCodes.Format(Code);

    /// <summary>Returns a copy that names the file, keeping everything else.</summary>
    public QuantuneException WithFile(string file) =>
        File is null ? new QuantuneException(Code, Message, file, NodeName, OpType, InnerException) : this;

    /// <summary>"file: error QV0010: node 'x' (Conv): message", the canonical compiler-error shape IDEs parse.</summary>
    public override string ToString()
    {
        var where = NodeName is null && OpType is null ? "" : $"node '{NodeName ?? ""}' ({OpType ?? "?"}): ";
        var prefix = File is null ? "" : File + ": ";
        return $"{prefix}error {CodeText}: {where}{Message}";
    }
}
