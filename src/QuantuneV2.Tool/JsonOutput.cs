using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantuneV2.Tool;

/// <summary>The one JSON object a `--json` command prints on stdout; infinite SQNRs are written as "Infinity".</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Print(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));
}
