namespace PolicyEngine.JsonPath.Tests;

/// <summary>Exact positions and messages of parse diagnostics, from both Parse and TryParse.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("", 0, "Expected '$' at the start of the query, found the end of the query")]
    [InlineData(" $", 0, "Expected '$' at the start of the query, found ' '")]
    [InlineData("$ ", 1, "Expected '.', '..', '[' or the end of the query, found ' '")]
    [InlineData("$.", 2, "Expected a member name or '*' after '.', found the end of the query")]
    [InlineData("$. a", 2, "Expected a member name or '*' after '.', found ' '")]
    [InlineData("$..", 3, "Expected a member name, '*' or '[' after '..', found the end of the query")]
    [InlineData("$[", 2, "Expected a selector (a quoted name, '*', an index, a slice or a '?' filter), found the end of the query")]
    [InlineData("$[1", 3, "Expected ',' or ']' to close the '[' at position 1, found the end of the query")]
    [InlineData("$.a['b' 'c']", 8, "Expected ',' or ']' to close the '[' at position 3, found '''")]
    [InlineData("$[01]", 2, "Expected an integer without leading zeros")]
    [InlineData("$[-0]", 2, "Expected an integer: '-0' is not allowed as an index or slice bound")]
    [InlineData("$[9007199254740992]", 2, "Expected an integer between -9007199254740991 and 9007199254740991")]
    [InlineData("$[1:-9007199254740992]", 4, "Expected an integer between -9007199254740991 and 9007199254740991")]
    [InlineData("$['a", 4, "Expected ' to close the string literal that starts at position 2, found the end of the query")]
    [InlineData("$['\\a']", 3, "Expected a valid escape (\\b \\f \\n \\r \\t \\/ \\\\ \\' or \\uXXXX), found '\\a'")]
    [InlineData("$[\"\\'\"]", 3, "Expected a valid escape (\\b \\f \\n \\r \\t \\/ \\\\ \\\" or \\uXXXX), found '\\''")]
    [InlineData("$['\\uD800']", 3, "Expected a low surrogate escape (\\uDC00-\\uDFFF) after the high surrogate escape")]
    [InlineData("$['\\uDC00']", 3, "Expected a high surrogate before the low surrogate escape")]
    [InlineData("$['\\u12']", 3, "Expected four hexadecimal digits after '\\u'")]
    [InlineData("$['a\u0001']", 4, "Expected a printable character: control character U+0001 must be escaped in a string literal")]
    [InlineData("$[?@.a]x", 7, "Expected '.', '..', '[' or the end of the query, found 'x'")]
    [InlineData("$[?(@.a==1]", 10, "Expected ')' to close the '(' at position 3, found ']'")]
    [InlineData("$[?true]", 3, "Expected a test (a query, a logical function or a comparison), found a literal on its own")]
    [InlineData("$[?True]", 3, "Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found 'T'")]
    [InlineData("$[?@.x = 'a']", 7, "Expected a comparison operator, found '=' alone; write '==' to test equality")]
    [InlineData("$[?@.x='a']", 6, "Expected a comparison operator, found '=' alone; write '==' to test equality")]
    [InlineData("$[?@.a == nil]", 10, "Expected a literal (true, false, null) or a function call 'nil(…)', found 'nil'")]
    [InlineData("$[?@.* == 1]", 3, "Expected a singular query in a comparison, found a query that can select several nodes")]
    [InlineData("$[?@.a == 01]", 10, "Expected a number without leading zeros")]
    [InlineData("$[?@.a == 1.]", 12, "Expected a digit after the decimal point, found ']'")]
    [InlineData("$[?@.a == 1e]", 12, "Expected a digit in the exponent, found ']'")]
    [InlineData("$[?foo(@)]", 3, "Expected a known function, found unknown function 'foo'")]
    [InlineData("$[?match(@)]", 3, "Expected 2 argument(s) for function 'match', found 1")]
    [InlineData("$[?length(@)]", 3, "Expected a LogicalType or NodesType test, found function 'length' of type ValueType; compare its result instead")]
    [InlineData("$[?length(@.*) == 1]", 10, "Expected a ValueType for argument 1 of 'length' (a literal, a singular query or a ValueType function), found a non-singular query")]
    [InlineData("$[?count(1) == 1]", 9, "Expected a NodesType for argument 1 of 'count' (a query or a NodesType function), found a literal")]
    [InlineData("$[?match(@, 'a') == true]", 3, "Expected a ValueType in a comparison, found function 'match' of type LogicalType")]
    [InlineData("$[?@.a == 1 &&]", 14, "Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found ']'")]
    public void Reports_exact_position_and_message(string query, int position, string message)
    {
        Assert.False(JsonPathQuery.TryParse(query, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Equal(new JsonPathError(position, message), error);

        var exception = Assert.Throws<JsonPathParseException>(() => JsonPathQuery.Parse(query));
        Assert.Equal(position, exception.Position);
        Assert.Equal(error, exception.Error);
        Assert.Equal($"{message} (at position {position})", exception.Message);
    }

    [Theory]
    [InlineData("$[?match(@, 'a{1,5000}')]", 12)]
    [InlineData("$[?match(@.Name, 'b{2,4000}c')]", 17)]
    public void Regex_past_the_automaton_limit_is_a_parse_error_at_the_pattern(string query, int position)
    {
        Assert.False(JsonPathQuery.TryParse(query, out _, out var error));
        Assert.Equal(
            new JsonPathError(position, "Expected a regular expression the linear-time matcher can take, found one whose automaton is too large (large counted repetitions such as a{1,5000} do this); use smaller bounds, or split it into several tests joined by ||"),
            error);
    }

    [Fact]
    public void Regex_longer_than_8192_characters_is_a_parse_error_at_the_pattern()
    {
        Assert.False(JsonPathQuery.TryParse("$[?match(@, '" + new string('a', 1_000_000) + "')]", out _, out var error));
        Assert.Equal(new JsonPathError(12, "Expected a regular expression of at most 8192 characters, found one of 1000000; shorten it, or split it into several tests joined by ||"), error);
    }

    [Fact]
    public void Allow_list_of_200_account_ids_is_accepted_and_matches()
    {
        var ids = Enumerable.Range(0, 200).Select(i => (100000000000L + (i * 7919L)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var document = System.Text.Json.JsonDocument.Parse($"[\"{ids[150]}\", \"999999999999\"]");
        var query = JsonPathQuery.Parse("$[?match(@, '" + string.Join("|", ids) + "')]");
        Assert.Equal(["$[0]"], query.Evaluate(document.RootElement).Select(n => n.Location.ToString()));
    }

    [Fact]
    public void Deep_nesting_is_a_parse_error_not_a_stack_overflow()
    {
        var query = "$[?" + new string('(', 10_000) + "@" + new string(')', 10_000) + "]";
        Assert.False(JsonPathQuery.TryParse(query, out _, out var error));
        Assert.Equal("Expected at most 128 levels of nesting", error.Message);
    }

    [Fact]
    public void Long_or_chains_parse_and_evaluate_flat()
    {
        var query = "$[?" + string.Join("||", Enumerable.Repeat("@==1", 50_000)) + "]";
        var parsed = JsonPathQuery.Parse(query);
        using var document = System.Text.Json.JsonDocument.Parse("[0,1,2]");
        Assert.Equal(["$[1]"], parsed.Evaluate(document.RootElement).Select(n => n.Location.ToString()));
    }
}
