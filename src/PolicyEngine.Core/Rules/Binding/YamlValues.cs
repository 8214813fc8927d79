using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Core.Rules.Binding;

/// <summary>Typed reads of YAML nodes, each reporting a PE1002 diagnostic at the node when the type is wrong.</summary>
internal sealed class YamlValues(ICollection<Diagnostic> diagnostics)
{
    public ICollection<Diagnostic> Diagnostics { get; } = diagnostics;

    public void Error(string code, SourceLocation location, string message) =>
        Diagnostics.Add(Diagnostic.Error(code, location, message));

    public void CheckKeys(YamlMapping mapping, string what, IReadOnlyCollection<string> allowed)
    {
        foreach (var entry in mapping.Entries)
        {
            if (!allowed.Contains(entry.Key.Value))
            {
                var suggestion = Closest(entry.Key.Value, allowed);
                Error(DiagnosticCodes.UnknownKey, entry.Key.Start,
                    $"Unknown key '{entry.Key.Value}' in {what}." +
                    (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?") +
                    $" Allowed keys: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public string? String(YamlNode? node, string key, bool required, SourceLocation parentLocation)
    {
        if (node is null)
        {
            if (required)
            {
                Error(DiagnosticCodes.MissingKey, parentLocation, $"Missing required key '{key}'.");
            }

            return null;
        }

        if (node is YamlScalar scalar && !scalar.IsNull)
        {
            return scalar.Value;
        }

        Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a string, but it is {node.KindName}.");
        return null;
    }

    public bool? Bool(YamlNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalar { IsPlain: true } scalar && TryBool(scalar.Value, out var value))
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, node.Start, node is YamlScalar { IsPlain: false, IsBlock: false } quoted && TryBool(quoted.Value, out _)
            ? $"'{key}' must be true or false, but it is the quoted string \"{quoted.Value}\"; write {quoted.Value} without quotes."
            : $"'{key}' must be true or false, but it is {Describe(node)}.");
        return null;
    }

    public int? Int(YamlNode? node, string key, int min = 0)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalar { IsPlain: true } scalar &&
            int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a whole number of at least {min}, but it is {Describe(node)}.");
        return null;
    }

    public double? Number(YamlNode? node, string key)
    {
        if (node is YamlScalar { IsPlain: true } scalar &&
            double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (node is not null)
        {
            Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a number, but it is {Describe(node)}.");
        }

        return null;
    }

    public YamlMapping? Mapping(YamlNode? node, string key)
    {
        if (node is null || node is YamlMapping)
        {
            return node as YamlMapping;
        }

        Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a mapping, but it is {node.KindName}.");
        return null;
    }

    public IReadOnlyList<string>? StringList(YamlNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalar { IsNull: false } single)
        {
            return [single.Value];
        }

        if (node is not YamlSequence sequence)
        {
            Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a list of strings, but it is {node.KindName}.");
            return null;
        }

        var values = new List<string>();
        foreach (var item in sequence.Items)
        {
            if (item is YamlScalar { IsNull: false } scalar)
            {
                values.Add(scalar.Value);
            }
            else
            {
                Error(DiagnosticCodes.WrongType, item.Start, $"Items of '{key}' must be strings, but this one is {item.KindName}.");
            }
        }

        return values;
    }

    /// <summary>Converts a YAML value to JSON with the YAML 1.2 core schema for plain scalars.</summary>
    public static JsonElement ToJson(YamlNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMapping mapping:
                writer.WriteStartObject();
                foreach (var entry in mapping.Entries)
                {
                    writer.WritePropertyName(entry.Key.Value);
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalar scalar when scalar.IsNull:
                writer.WriteNullValue();
                break;
            case YamlScalar { IsPlain: true, Tag: null } scalar when TryBool(scalar.Value, out var boolean):
                writer.WriteBooleanValue(boolean);
                break;
            case YamlScalar { IsPlain: true, Tag: null } scalar when IsNumber(scalar.Value):
                writer.WriteRawValue(NormalizeNumber(scalar.Value));
                break;
            case YamlScalar scalar:
                writer.WriteStringValue(scalar.Value);
                break;
        }
    }

    private static bool TryBool(string text, out bool value)
    {
        // YAML 1.2 core schema: only true/false in three casings; "yes"/"on" stay strings.
        value = text is "true" or "True" or "TRUE";
        return value || text is "false" or "False" or "FALSE";
    }

    private static bool IsNumber(string text) =>
        text.Length > 0 && (char.IsAsciiDigit(text[0]) || ((text[0] is '-' or '+') && text.Length > 1 && char.IsAsciiDigit(text[1]))) &&
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string NormalizeNumber(string text)
    {
        var trimmed = text.TrimStart('+');
        return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            ? whole.ToString(CultureInfo.InvariantCulture)
            : double.Parse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Describe(YamlNode node) => node is YamlScalar { IsNull: false } s ? $"'{s.Value}'" : node.KindName;

    /// <summary>Suggests the allowed word closest to a misspelling (edit distance at most 2).</summary>
    public static string? Closest(string word, IEnumerable<string> allowed)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in allowed)
        {
            var distance = Distance(word.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>
    /// The known names nearest to a misspelled one (case-insensitive edit distance at most 3): all those at the
    /// smallest distance, up to <paramref name="count"/>, in ordinal order. Rule ids differ by a digit, so several
    /// can be equally near.
    /// </summary>
    public static IReadOnlyList<string> Nearest(string word, IEnumerable<string> known, int count)
    {
        ArgumentNullException.ThrowIfNull(word);
        var candidates = known.Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: Distance(word.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(c => c.Distance <= 3)
            .ToArray();
        if (candidates.Length == 0)
        {
            return [];
        }

        var nearest = candidates.Min(c => c.Distance);
        return candidates.Where(c => c.Distance == nearest).Select(c => c.Name).Order(StringComparer.Ordinal).Take(count).ToArray();
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('\'').Append(text).Append('\'');
        return builder.ToString();
    }
}
