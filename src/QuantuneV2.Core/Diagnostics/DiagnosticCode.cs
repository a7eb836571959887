namespace QuantuneV2.Core.Diagnostics;

/// <summary>Every QV code the tool can report. The table with explanations is docs/diagnostics.md.</summary>
public enum DiagnosticCode
{
    FileUnreadable = 1,
    CorruptModel = 2,
    ModelTooLarge = 3,
    ExternalData = 4,
    MissingGraph = 5,
    UnsupportedOp = 10,
    UnsupportedOpset = 11,
    MissingValue = 12,
    ShapeMismatch = 13,
    Cycle = 14,
    DanglingOutput = 15,
    UnsupportedDataType = 16,
    InvalidTensor = 17,
    DuplicateValue = 18,
    InvalidAttribute = 19,
    InvalidInput = 20,
    DatasetSpec = 30,
    DatasetData = 31,
    PlanFile = 32,
    PlanMismatch = 33,
    UsageError = 40,
    ZooUnknownModel = 41,
    UnknownLayer = 42,
    SyntheticCalibration = 50,
    NonFiniteActivations = 51,
    DeadWeightChannels = 52,
    AccuracyTargetUnreached = 53,
    HeavyClipping = 54,
    DuplicateModelClass = 60,
    InvalidModelClass = 61,
}

public static class DiagnosticCodes
{
    public static string Format(DiagnosticCode code) => $"QV{(int)code:D4}";
}
