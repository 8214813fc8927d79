using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// Reads strings and member names of a document. <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>
/// does not check that the bytes inside strings are UTF-8, and <see cref="JsonElement.GetString"/> then throws on
/// them; an evaluation over someone else's bytes must not. Bytes that are not UTF-8 read as U+FFFD, as
/// <see cref="Encoding.UTF8"/> reads them.
/// </summary>
internal static class JsonStrings
{
    public static string Value(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Lossy(JsonMarshal.GetRawUtf8Value(element)); // the raw value keeps its quotes
        }
    }

    public static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var quoted = new byte[raw.Length + 2];
            quoted[0] = quoted[^1] = (byte)'"';
            raw.CopyTo(quoted.AsSpan(1));
            return Lossy(quoted);
        }
    }

    // Replace the invalid sequences, then let the reader undo the escapes of the now valid JSON string.
    private static string Lossy(ReadOnlySpan<byte> quotedJsonString)
    {
        var valid = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(quotedJsonString));
        var reader = new Utf8JsonReader(valid);
        reader.Read();
        return reader.GetString()!;
    }
}
