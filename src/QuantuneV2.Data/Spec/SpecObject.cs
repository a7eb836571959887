using System.Text.Json;
using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Data.Spec;

/// <summary>
/// One JSON object of a dataset spec, read field by field. Errors name the field path
/// (<c>preprocess.std</c>) and what was expected; a field nobody reads is reported as unknown, so a
/// typo such as <c>"widht"</c> is an error instead of a silently ignored setting. An absent object
/// reads as empty, so callers need no null checks for optional sections.
/// </summary>
internal sealed class SpecObject
{
    private readonly JsonElement? _json;
    private readonly string _prefix;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private SpecObject(SpecContext context, JsonElement? json, string prefix)
    {
        Context = context;
        _json = json;
        _prefix = prefix;
    }

    public SpecContext Context { get; }
    public bool IsPresent => _json is not null;

    public static SpecObject Parse(SpecContext context, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from 0 and appends them to its message: say it the usual way.
            var reason = e.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw context.Error($"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {reason}");
        }
        using (document)
        {
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
                throw context.Error($"must be a JSON object {{ \"kind\": ..., ... }}, not {Describe(root)}");
            return new SpecObject(context, root, "");
        }
    }

    public QuantuneException Error(string name, string what) => Context.Error($"field '{FieldPath(name)}': {what}");

    public SpecObject Object(string name)
    {
        var e = Get(name);
        if (e is { ValueKind: not JsonValueKind.Object }) throw Error(name, $"must be an object {{ ... }}, got {Describe(e.Value)}");
        return new SpecObject(Context, e, FieldPath(name));
    }

    public string? String(string name)
    {
        var e = Get(name);
        if (e is null) return null;
        if (e.Value.ValueKind != JsonValueKind.String) throw Error(name, $"must be a string, got {Describe(e.Value)}");
        return e.Value.GetString();
    }

    /// <summary>The error for a required field that is absent; <paramref name="what"/> says what it holds.</summary>
    public QuantuneException Missing(string name, string what) => Context.Error($"missing required field '{FieldPath(name)}' ({what})");

    /// <summary>One of <paramref name="allowed"/> (compared ignoring case), returned as spelled there.</summary>
    public string? Choice(string name, params string[] allowed)
    {
        var s = String(name);
        if (s is null) return null;
        foreach (var a in allowed)
            if (string.Equals(a, s, StringComparison.OrdinalIgnoreCase)) return a;
        throw Error(name, $"unknown value '{s}'; expected one of: {string.Join(", ", allowed)}");
    }

    /// <summary>The absolute path the field names (variables expanded, relative to the spec's folder).</summary>
    public string? PathField(string name)
    {
        var s = String(name);
        return s is null ? null : Context.ResolvePath(FieldPath(name), s);
    }

    public string[]? PathList(string name)
    {
        var e = Get(name);
        if (e is null) return null;
        if (e.Value.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array of paths, got {Describe(e.Value)}");
        var r = new string[e.Value.GetArrayLength()];
        var i = 0;
        foreach (var item in e.Value.EnumerateArray())
        {
            var field = $"{FieldPath(name)}[{i}]";
            if (item.ValueKind != JsonValueKind.String) throw Context.Error($"field '{field}': must be a path string, got {Describe(item)}");
            r[i++] = Context.ResolvePath(field, item.GetString()!);
        }
        return r;
    }

    public int? Int(string name, int min)
    {
        var e = Get(name);
        return e is null ? null : ToInt(e.Value, name, min);
    }

    /// <summary>A number or an array of numbers.</summary>
    public double[]? Numbers(string name)
    {
        var e = Get(name);
        if (e is null) return null;
        if (e.Value.ValueKind == JsonValueKind.Number) return [e.Value.GetDouble()];
        if (e.Value.ValueKind != JsonValueKind.Array) throw Error(name, $"must be a number or an array of numbers, got {Describe(e.Value)}");
        var r = new List<double>();
        foreach (var item in e.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number) throw Error(name, $"must hold numbers only, got {Describe(item)}");
            r.Add(item.GetDouble());
        }
        return [.. r];
    }

    public double? Number(string name)
    {
        var e = Get(name);
        if (e is null) return null;
        if (e.Value.ValueKind != JsonValueKind.Number) throw Error(name, $"must be a number, got {Describe(e.Value)}");
        return e.Value.GetDouble();
    }

    /// <summary>An integer or an array of integers, each at least <paramref name="min"/>.</summary>
    public int[]? Ints(string name, int min)
    {
        var e = Get(name);
        if (e is null) return null;
        if (e.Value.ValueKind != JsonValueKind.Array) return [ToInt(e.Value, name, min)];
        var r = new int[e.Value.GetArrayLength()];
        var i = 0;
        foreach (var item in e.Value.EnumerateArray()) r[i++] = ToInt(item, name, min);
        return r;
    }

    /// <summary>Fails on any field of this object that no reader asked for (a typo or a field of another kind).</summary>
    public void RejectUnknownFields()
    {
        if (_json is null) return;
        foreach (var p in _json.Value.EnumerateObject())
        {
            if (_known.Contains(p.Name)) continue;
            var allowed = _known.Order(StringComparer.Ordinal);
            throw Context.Error($"unknown field '{FieldPath(p.Name)}' (fields allowed here: {string.Join(", ", allowed)})");
        }
    }

    private JsonElement? Get(string name)
    {
        _known.Add(name);
        if (_json is null || !_json.Value.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        return e;
    }

    private int ToInt(JsonElement e, string name, int min)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v >= min) return v;
        throw Error(name, $"must be an integer >= {min}, got {Describe(e)}");
    }

    private string FieldPath(string name) => _prefix.Length == 0 ? name : _prefix + "." + name;

    private static string Describe(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length <= 40 ? text : text[..37] + "...";
    }
}
