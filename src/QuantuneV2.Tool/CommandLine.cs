using QuantuneV2.Core.Diagnostics;

namespace QuantuneV2.Tool;

/// <summary>An option: a flag when <see cref="ValueName"/> is null, else it takes one value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Help, char? Short = null);

/// <summary>One subcommand: its usage text, options, positional arguments and what it runs.</summary>
internal sealed record CommandSpec(string Name, string Summary, string Arguments, IReadOnlyList<OptionSpec> Options, int Positionals, Func<ParsedArgs, int> Run)
{
    public string Help()
    {
        var lines = new List<string> { $"usage: quantune {Name} {Arguments}".TrimEnd(), "", Summary, "", "options:" };
        foreach (var o in Options.Append(new OptionSpec("help", null, "show this help")))
            lines.Add($"  {(o.Short is { } c ? $"-{c}, " : "")}--{o.Name}{(o.ValueName is null ? "" : " " + o.ValueName)}".PadRight(30) + " " + o.Help);
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Parsed arguments: positionals plus --name value / --name=value / --flag options.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, string?> _options;

    private ParsedArgs(List<string> positionals, Dictionary<string, string?> options)
    {
        Positionals = positionals;
        _options = options;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool Has(string name) => _options.ContainsKey(name);
    public string? Value(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback, int min = 1)
    {
        var v = Value(name);
        if (v is null) return fallback;
        return int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw Usage($"--{name} takes a whole number ≥ {min}, got '{v}'");
    }

    public double Double(string name)
    {
        var v = Value(name);
        return double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : throw Usage($"--{name} takes a number, got '{v}'");
    }

    /// <summary>A comma-separated option as its non-empty items (empty when absent).</summary>
    public IReadOnlyList<string> List(string name) =>
        Value(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public static QuantuneException Usage(string message) => new(DiagnosticCode.UsageError, message);

    public static ParsedArgs Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, string?>();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.Length == 2 && a[0] == '-' && spec.Options.FirstOrDefault(o => o.Short == a[1]) is { } shortOption) a = "--" + shortOption.Name;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                positionals.Add(a);
                continue;
            }
            var name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0) (name, value) = (name[..eq], name[(eq + 1)..]);
            var option = spec.Options.FirstOrDefault(o => o.Name == name)
                ?? throw Usage($"unknown option --{name} for '{spec.Name}' (see quantune {spec.Name} --help)");
            if (option.ValueName is not null && value is null)
            {
                if (i + 1 >= args.Count) throw Usage($"--{name} needs a value ({option.ValueName})");
                value = args[++i];
            }
            else if (option.ValueName is null && value is not null) throw Usage($"--{name} takes no value");
            options[name] = value;
        }
        if (positionals.Count != spec.Positionals)
            throw Usage(positionals.Count < spec.Positionals
                ? $"'{spec.Name}' needs {spec.Arguments.Split(' ').First()} (see quantune {spec.Name} --help)"
                : $"unexpected argument '{positionals[spec.Positionals]}'");
        return new ParsedArgs(positionals, options);
    }
}
