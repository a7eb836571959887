using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Tool;
using QuantuneV2.Tool.Commands;

CommandSpec[] commands = [InspectCommand.Spec, AnalyzeCommand.Spec, QuantizeCommand.Spec, EvalCommand.Spec, ZooCommand.Spec];

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine("usage: quantune COMMAND [ARGS] [--help]\n\nQuantuneV2.Build: compiler-based mixed-precision quantization of ONNX models.\n\ncommands:");
    foreach (var c in commands) Console.WriteLine($"  {c.Name,-10} {c.Summary}");
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "--version")
{
    Console.WriteLine(typeof(Program).Assembly.GetName().Version);
    return 0;
}

var command = commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine($"quantune: error {DiagnosticCodes.Format(DiagnosticCode.UsageError)}: unknown command '{args[0]}' (commands: {string.Join(", ", commands.Select(c => c.Name))})");
    return 2;
}
var rest = args.Skip(1).ToArray();
if (rest.Contains("--help") || rest.Contains("-h"))
{
    Console.WriteLine(command.Help());
    return 0;
}
try
{
    return command.Run(ParsedArgs.Parse(command, rest));
}
catch (QuantuneException e)
{
    Console.Error.WriteLine(e.ToString());
    return e.Code == DiagnosticCode.UsageError ? 2 : 1;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("QUANTUNE_DEBUG") != "1")
{
    // A bug on our side: say so plainly, without a stack trace (QUANTUNE_DEBUG=1 shows it).
    Console.Error.WriteLine($"quantune: internal error ({e.GetType().Name}): {e.Message}. Please report it; QUANTUNE_DEBUG=1 shows details.");
    return 70;
}
