using PolicyEngine.Core.Text;

namespace PolicyEngine.Core.Tests.Text;

public class GlobTests
{
    [Theory]
    [InlineData("arn:aws:s3:::logs-*", "arn:aws:s3:::logs-333", true)]
    [InlineData("arn:aws:s3:::logs-*", "arn:aws:s3:::logs-", true)]
    [InlineData("arn:aws:s3:::logs-*", "arn:aws:s3:::log", false)]
    [InlineData("arn:aws:s3:::t?p", "arn:aws:s3:::tmp", true)]
    [InlineData("arn:aws:s3:::t?p", "arn:aws:s3:::tp", false)]
    [InlineData("*:role/*admin*", "arn:aws:iam::111111111111:role/breakglass-admin-1", true)]
    [InlineData("*a*b", "aXbXaXb", true)]
    [InlineData("*a*b", "aXbXaXbX", false)]
    [InlineData("ol", "old", false)]
    [InlineData("*", "", true)]
    [InlineData("?", "", false)]
    [InlineData("LOGS-*", "logs-1", false)]
    public void Matches_the_whole_text_case_sensitively(string pattern, string text, bool matches)
    {
        Assert.Equal(matches, new Glob(pattern).IsMatch(text));
    }

    [Fact]
    public void Ignoring_case_is_a_choice()
    {
        Assert.True(new Glob("SRA-GUARDDUTY-*", ignoreCase: true).IsMatch("sra-guardduty-01"));
    }

    [Fact]
    public void Matching_cannot_backtrack_exponentially()
    {
        // The classic catastrophic input for backtracking matchers: many stars and a text that almost matches.
        var pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "*b";
        var text = new string('a', 2000);
        Assert.False(new Glob(pattern).IsMatch(text, out var steps));
        Assert.True(steps <= (long)(text.Length + 1) * (pattern.Length + 1), $"{steps} steps");
    }
}
