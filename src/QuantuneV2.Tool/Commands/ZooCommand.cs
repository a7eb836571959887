namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune zoo NAME -o FILE.onnx`: writes one of the paper's topologies with seeded weights.</summary>
internal static class ZooCommand
{
    public static readonly CommandSpec Spec = new("zoo", "Write one of the paper's five CNNs (224x224 ImageNet shape, seeded weights) as ONNX.", "NAME -o FILE.onnx",
        [new OptionSpec("output", "FILE.onnx", "where to write the model", 'o'), new OptionSpec("seed", "N", "weight seed (default 0)")], 1, Run);

    private static int Run(ParsedArgs args) => throw ParsedArgs.Usage("the model zoo is not built yet");
}
