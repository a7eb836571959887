namespace QuantuneV2.Tests.Conformance;

/// <summary>
/// In-scope ONNX tests (all ops supported) that we legitimately do not pass, each with the reason.
/// This is the one list; the conformance run prints supported/total.
/// </summary>
public static class ConformanceExclusions
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        ["node/test_training_dropout"] = "training-mode Dropout draws random masks; inference only",
        ["node/test_training_dropout_default"] = "training-mode Dropout draws random masks; inference only",
        ["node/test_training_dropout_default_mask"] = "training-mode Dropout draws random masks; inference only",
        ["node/test_training_dropout_mask"] = "training-mode Dropout draws random masks; inference only",
        ["node/test_batchnorm_example_training_mode"] = "training-mode BatchNormalization computes batch statistics; inference only",
        ["node/test_batchnorm_epsilon_training_mode"] = "training-mode BatchNormalization computes batch statistics; inference only",
        ["node/test_identity_opt"] = "optional types are not tensors; only tensor values are supported",
        ["node/test_identity_sequence"] = "sequence types are not tensors; only tensor values are supported",
        ["node/test_maxpool_2d_uint8"] = "integer MaxPool belongs to the int8 kernels (quantization issue); fp32 executor pools floats",
    };
}
