using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IO;

namespace QuantuneV2.Planning;

/// <summary>
/// Reads and writes plan files (docs/plan.md): indented JSON, snake_case names, members in declaration
/// order and floats in their shortest round-trip form, so equal plans are equal bytes. Unknown or missing
/// fields are errors: a plan is a contract between the planner, the MSBuild task and the generator.
/// </summary>
public static class PlanFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        IndentSize = 2,
        NewLine = "\n",
    };

    public static string ToJson(QuantizationPlan plan) => JsonSerializer.Serialize(plan, Json) + "\n";

    /// <summary>Writes atomically: readers see the old file or the whole new one, never a part.</summary>
    public static void Save(QuantizationPlan plan, string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(ToJson(plan));
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Reads and checks a plan; QV0032 (with the file and the JSON path of the problem) when it is not a valid plan.</summary>
    public static QuantizationPlan Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantuneException(DiagnosticCode.FileUnreadable, $"cannot read the plan: {e.Message}", path);
        }
        QuantizationPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<QuantizationPlan>(text, Json);
        }
        catch (JsonException e)
        {
            throw new QuantuneException(DiagnosticCode.PlanFile, $"not a valid plan: {e.Message}", path);
        }
        if (plan is null) throw new QuantuneException(DiagnosticCode.PlanFile, "not a valid plan: the file holds null", path);
        if (plan.Schema != QuantizationPlan.CurrentSchema)
            throw new QuantuneException(DiagnosticCode.PlanFile, $"plan schema '{plan.Schema}'; this quantune reads '{QuantizationPlan.CurrentSchema}' (make the plan again with this version)", path);
        try
        {
            plan.Options.Validate();
        }
        catch (QuantuneException e)
        {
            throw new QuantuneException(DiagnosticCode.PlanFile, $"invalid options: {e.Message}", path);
        }
        foreach (var t in plan.Tensors)
            if (!float.IsFinite(t.Min) || !float.IsFinite(t.Max) || t.Min > t.Max)
                throw new QuantuneException(DiagnosticCode.PlanFile, $"tensor '{t.Name}' has the invalid range [{t.Min}, {t.Max}]", path);
        foreach (var l in plan.Layers)
            if (l.Precision is not (PlanLayer.Int8 or PlanLayer.Fp32))
                throw new QuantuneException(DiagnosticCode.PlanFile, $"layer '{l.Name}' has precision '{l.Precision}'; expected int8 or fp32", path);
        return plan;
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes: how a plan names its model.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
