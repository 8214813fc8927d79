namespace PolicyEngine.JsonPath.Tests;

/// <summary>NormalizedPath.TryParse reads exactly what ToString writes (RFC 9535 §2.7), and nothing else.</summary>
public sealed class NormalizedPathParseTests
{
    [Fact]
    public void Parses_what_ToString_writes_including_every_escape()
    {
        var path = NormalizedPath.Root.Append("evidence").Append(18).Append("it's a \\ \b\f\n\r\t \u0001 é").Append(0);
        var text = path.ToString();
        Assert.Equal("$['evidence'][18]['it\\'s a \\\\ \\b\\f\\n\\r\\t \\u0001 é'][0]", text);
        var parsed = NormalizedPath.TryParse(text);
        Assert.Equal(path, parsed);
        Assert.Equal(text, parsed!.ToString());
        Assert.Equal(NormalizedPath.Root, NormalizedPath.TryParse("$"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("evidence")]
    [InlineData("$.evidence")]
    [InlineData("$[\"a\"]")]
    [InlineData("$['a'")]
    [InlineData("$['a\\x']")]
    [InlineData("$[01]")]
    [InlineData("$[-1]")]
    [InlineData("$[*]")]
    public void Refuses_what_is_not_a_normalized_path(string text) => Assert.Null(NormalizedPath.TryParse(text));
}
