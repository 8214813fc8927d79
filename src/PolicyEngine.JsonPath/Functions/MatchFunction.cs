using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.6 <c>match(ValueType, ValueType) -> LogicalType</c>: the whole string must match.</summary>
internal static class MatchFunction
{
    private const int StackLimit = 256;

    public static FunctionDefinition Create(bool search)
    {
        // Each definition owns its cache so that two registries never share mutable state.
        var cache = new RegexCache(search ? RegexCache.Mode.Search : RegexCache.Mode.Match);
        return new(search ? "search" : "match", [FunctionType.Value, FunctionType.Value], FunctionType.Logical, args =>
        {
            if (!args[1].Value.TryGetString(out var pattern) || args[0].Value.ValueKind != JsonValueKind.String)
            {
                return FunctionResult.FromLogical(false);
            }

            var regex = cache.Get(pattern);
            return FunctionResult.FromLogical(regex is not null && IsMatch(regex, args[0].Value));
        })
        {
            BuiltInRegexCache = cache,
        };
    }

    // Transcodes unescaped document strings onto the stack so a filter over many nodes allocates no strings.
    private static bool IsMatch(Regex regex, PathValue value)
    {
        if (value.TryGetElement(out var element))
        {
            var raw = JsonMarshal.GetRawUtf8Value(element);
            if (raw.Length >= 2 && raw[0] == (byte)'"')
            {
                raw = raw[1..^1];
            }

            if (raw.Length <= StackLimit && raw.IndexOf((byte)'\\') < 0)
            {
                Span<char> buffer = stackalloc char[StackLimit];
                var length = Encoding.UTF8.GetChars(raw, buffer);
                return regex.IsMatch(buffer[..length]);
            }
        }

        value.TryGetString(out var text);
        return regex.IsMatch(text!);
    }
}
