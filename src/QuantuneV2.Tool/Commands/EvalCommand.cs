namespace QuantuneV2.Tool.Commands;

/// <summary>`quantune eval MODEL --data SPEC`: top-1/top-5 and throughput on a data set.</summary>
internal static class EvalCommand
{
    public static readonly CommandSpec Spec = new("eval", "Run a model over a data set and report top-1/top-5 accuracy and throughput.", "MODEL --data SPEC",
        [new OptionSpec("data", "SPEC", "dataset spec (JSON, see docs/datasets.md)"), new OptionSpec("limit", "N", "evaluate only the first N samples"),
         new OptionSpec("threads", "N", "worker threads (default: all cores)"), new OptionSpec("json", null, "print one JSON object on stdout")], 1, Run);

    private static int Run(ParsedArgs args) => throw ParsedArgs.Usage("eval arrives with the dataset support");
}
