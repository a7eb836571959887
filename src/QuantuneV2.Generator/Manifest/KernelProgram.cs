using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace QuantuneV2.Manifest;

/// <summary>
/// A model lowered to kernel calls with literal arguments: the text manifest the tool writes and the
/// generator reads (docs/generator.md). This file is compiled into both, so the format has one definition.
/// Format: UTF-8 lines, the first <c>quantune-program 1</c>, then one record per line, a kind then
/// space-separated <c>Key=value</c> fields. Values are decimal integers, floats as <c>f:</c> + their IEEE-754
/// bits in hex (exact), <c>true</c>/<c>false</c>, weight references <c>#index:type</c> (s8, s32, f32), lists of
/// those in brackets (<c>[1,2]</c>, <c>[]</c>), names percent-encoded (<see cref="Escape"/>), and in input/output
/// records comma-separated dims. The meta record holds the model file, layer counts, MACs, the fp32 layers and
/// <see cref="DirectInput"/>. Records: <c>meta</c> (free key/values), <c>input</c>/<c>output</c> (Name, Type, Dims,
/// At = byte offset in the arena), <c>arena</c> (Bytes), <c>step</c> (Kernel, then the kernel's arguments,
/// named as the fields of its Args class).
/// </summary>
internal sealed class KernelProgram
{
    public const string Header = "quantune-program 1";

    /// <summary>The meta key set (true) when the first step is a Quantize that alone reads the model's input: the generated code hands it the caller's values instead of copying them into the arena.</summary>
    public const string DirectInput = "DirectInput";

    public List<Field> Meta { get; } = new List<Field>();
    public List<ProgramValue> Inputs { get; } = new List<ProgramValue>();
    public List<ProgramValue> Outputs { get; } = new List<ProgramValue>();
    public long ArenaBytes { get; set; }
    public List<KernelStep> Steps { get; } = new List<KernelStep>();

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(Header).Append('\n');
        Line(b, "meta", Meta);
        foreach (var v in Inputs) Line(b, "input", v.Fields());
        foreach (var v in Outputs) Line(b, "output", v.Fields());
        Line(b, "arena", new[] { new Field("Bytes", Int(ArenaBytes)) });
        foreach (var s in Steps) Line(b, "step", new[] { new Field("Kernel", s.Kernel) }.Concat(s.Args));
        return b.ToString();
    }

    /// <summary>Parses a manifest; a <see cref="FormatException"/> names the line that is wrong.</summary>
    public static KernelProgram Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
            throw new FormatException($"line 1: expected '{Header}'");
        var program = new KernelProgram();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var parts = lines[i].Split(' ');
            var fields = new List<Field>();
            foreach (var p in parts.Skip(1))
            {
                int eq = p.IndexOf('=');
                if (eq <= 0) throw new FormatException($"line {i + 1}: '{p}' is not Key=value");
                fields.Add(new Field(p.Substring(0, eq), p.Substring(eq + 1)));
            }
            string Get(string key) => fields.FirstOrDefault(f => f.Key == key)?.Value
                ?? throw new FormatException($"line {i + 1}: {parts[0]} has no {key}");
            switch (parts[0])
            {
                case "meta": program.Meta.AddRange(fields); break;
                case "input":
                case "output":
                    var value = new ProgramValue(Unescape(Get("Name")), Get("Type"), ParseInts(Get("Dims")), ParseLong(Get("At")));
                    (parts[0] == "input" ? program.Inputs : program.Outputs).Add(value);
                    break;
                case "arena": program.ArenaBytes = ParseLong(Get("Bytes")); break;
                case "step": program.Steps.Add(new KernelStep(Get("Kernel"), fields.Where(f => f.Key != "Kernel").ToList())); break;
                default: throw new FormatException($"line {i + 1}: unknown record '{parts[0]}'");
            }
        }
        return program;
    }

    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Ints(IEnumerable<long> values) => string.Join(",", values.Select(Int));

    /// <summary>A float as its exact bits: <c>f:3f800000</c> is 1.</summary>
    public static string Float(float v) => "f:" + BitConverter.ToInt32(BitConverter.GetBytes(v), 0).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Free text (a model or layer name) as one token: percent-encoded, so no space, comma, '=' or bracket is left.</summary>
    public static string Escape(string text) => Uri.EscapeDataString(text).Replace("[", "%5B").Replace("]", "%5D");

    public static string Unescape(string token) => Uri.UnescapeDataString(token);

    /// <summary>The meta field <paramref name="key"/>, or null.</summary>
    public string? MetaValue(string key) => Meta.FirstOrDefault(f => f.Key == key)?.Value;

    /// <summary>A list field: <c>[a,b]</c>.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

    public static bool IsList(string value) => value.StartsWith("[", StringComparison.Ordinal) && value.EndsWith("]", StringComparison.Ordinal);

    public static string[] ListItems(string list) => list.Length == 2 ? new string[0] : list.Substring(1, list.Length - 2).Split(',');

    public static long ParseLong(string s) => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static long[] ParseInts(string s) => s.Length == 0 ? new long[0] : s.Split(',').Select(ParseLong).ToArray();

    public static int FloatBits(string s) =>
        s.StartsWith("f:", StringComparison.Ordinal) ? int.Parse(s.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
        : throw new FormatException($"'{s}' is not a float (f:bits)");

    private static void Line(StringBuilder b, string kind, IEnumerable<Field> fields)
    {
        b.Append(kind);
        foreach (var f in fields)
        {
            if (f.Value.IndexOfAny(new[] { ' ', '\n', '\r' }) >= 0 || f.Key.IndexOf('=') >= 0)
                throw new ArgumentException($"{kind} field {f.Key}='{f.Value}' has a space, newline or '='");
            b.Append(' ').Append(f.Key).Append('=').Append(f.Value);
        }
        b.Append('\n');
    }
}

internal sealed class Field
{
    public Field(string key, string value)
    {
        Key = key;
        Value = value;
    }

    public string Key { get; }
    public string Value { get; }
}

/// <summary>A model input or output: its place in the arena.</summary>
internal sealed class ProgramValue
{
    public ProgramValue(string name, string type, long[] dims, long at)
    {
        Name = name;
        Type = type;
        Dims = dims;
        At = at;
    }

    public string Name { get; }
    /// <summary>f32, u8 or s8.</summary>
    public string Type { get; }
    public long[] Dims { get; }
    public long At { get; }
    public long Elements => Dims.Aggregate(1L, (n, d) => n * d);

    public IEnumerable<Field> Fields() => new[]
    {
        new Field("Name", KernelProgram.Escape(Name)), new Field("Type", Type), new Field("Dims", KernelProgram.Ints(Dims)), new Field("At", KernelProgram.Int(At)),
    };
}

/// <summary>One kernel call: the kernel's name and its arguments, in the order it declares them.</summary>
internal sealed class KernelStep
{
    public KernelStep(string kernel, List<Field> args)
    {
        Kernel = kernel;
        Args = args;
    }

    public string Kernel { get; }
    public List<Field> Args { get; }
}
