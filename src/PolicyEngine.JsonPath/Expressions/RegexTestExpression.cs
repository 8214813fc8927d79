using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.JsonPath;

/// <summary>
/// <c>match(@.x, 'literal')</c> / <c>search(@.x, 'literal')</c> with the built-in definitions: the I-Regexp is
/// resolved once when the query is parsed (from the definition's cache, so parsing the same pattern again is cheap), and the document string is matched in place (transcoded onto the
/// stack), without the generic call's argument boxing and per-node cache lookup. Same results as the
/// built-in functions: false for a non-string value, Nothing, or a pattern that is not a valid I-Regexp.
/// </summary>
internal sealed class RegexTestExpression : LogicalExpression
{
    private const int StackLimit = 256;
    private readonly QueryExpression _query;
    private readonly Regex? _regex;

    private RegexTestExpression(QueryExpression query, Regex? regex)
    {
        _query = query;
        _regex = regex;
    }

    /// <summary>Returns the specialized test for a built-in match/search call on (singular query, string literal), else null.</summary>
    public static RegexTestExpression? TryCreate(FunctionCallExpression call)
    {
        if (call.Function.BuiltInRegexCache is not { } cache
            || call.Arguments.Length != 2
            || call.Arguments[0] is not ValueArgument { Value: SingularQueryExpression subject }
            || call.Arguments[1] is not ValueArgument { Value: LiteralExpression pattern }
            || !pattern.Value.TryGetString(out var text))
        {
            return null;
        }

        return new RegexTestExpression(subject.Query, cache.Get(text));
    }

    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        if (_regex is null || !_query.TryNavigate(context, current, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.Length <= StackLimit && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> buffer = stackalloc char[StackLimit];
            var length = Encoding.UTF8.GetChars(raw, buffer);
            return _regex.IsMatch(buffer[..length]);
        }

        return _regex.IsMatch(JsonStrings.Value(value));
    }
}
