using System.Text;
using System.Text.Json;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// One canonical text per parameter value, so that the same call is keyed the same way however the snapshot was
/// formatted: strings as themselves, anything else (arrays, numbers, booleans) as compact JSON.
/// </summary>
public static class EvidenceParameters
{
    /// <summary>The canonical text of a parameter value.</summary>
    public static string Canonical(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Expands <c>{account}</c> and <c>{region}</c> in a literal parameter written in a rule, so a rule can name a
    /// per-region call (for example <c>regions: '["{region}"]'</c>) without a selector.
    /// </summary>
    public static string Expand(string literal, string? account, string? region) =>
        literal.Replace("{account}", account ?? string.Empty, StringComparison.Ordinal)
               .Replace("{region}", region ?? string.Empty, StringComparison.Ordinal);
}
