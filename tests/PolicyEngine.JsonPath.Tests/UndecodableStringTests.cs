using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath.Tests;

/// <summary>
/// JsonDocument.Parse accepts strings whose bytes are not UTF-8 and only throws when one is decoded. Found by
/// fuzzing (fuzz/run.sh jsonpath): member names in results, comparisons, length() and match() threw
/// InvalidOperationException. Such bytes now read as U+FFFD, as Encoding.UTF8 reads them.
/// </summary>
public class UndecodableStringTests
{
    // {"a\xFF": "b\xFF", "c": ["\xFF\\u00e9"]}
    private static JsonDocument Document() => JsonDocument.Parse(
        Encoding.UTF8.GetBytes("{\"a").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\": \"b"))
            .Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\", \"c\": [\"")).Concat(new byte[] { 0xFF })
            .Concat(Encoding.UTF8.GetBytes("\\u00e9\"]}")).ToArray());

    [Theory]
    [InlineData("$.*", "$['a\uFFFD'] $['c']")]
    [InlineData("$..*", "$['a\uFFFD'] $['c'] $['c'][0]")]
    [InlineData("$[?@ < 'c']", "$['a\uFFFD']")]
    [InlineData("$[?length(@) == 2]", "$['a\uFFFD']")]
    [InlineData("$.c[?match(@, '\uFFFDé')]", "$['c'][0]")]
    [InlineData("$.c[?search(@, 'é')]", "$['c'][0]")]
    [InlineData("$.c[?@ == '\uFFFDé']", "")]
    public void Strings_that_are_not_utf8_read_as_replacement_characters(string query, string paths)
    {
        using var document = Document();
        var found = JsonPathQuery.Parse(query).Evaluate(document.RootElement);
        Assert.Equal(paths, string.Join(' ', found.AsSpan().ToArray().Select(n => n.Location.ToString())));
        var general = JsonPathQuery.ParseGeneral(query).EvaluateSegments(document.RootElement);
        Assert.Equal(paths, string.Join(' ', general.AsSpan().ToArray().Select(n => n.Location.ToString())));
    }
}
