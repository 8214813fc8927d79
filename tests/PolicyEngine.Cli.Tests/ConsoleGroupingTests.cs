using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.Cli.Tests;

/// <summary>The console report gives InsufficientData findings one line per rule; Fail findings are listed under their rule; JSON is unchanged.</summary>
public sealed partial class ConsoleGroupingTests
{
    [GeneratedRegex(@"^Insufficient data \((\d+) findings? from (\d+) rules?, grouped by rule\):$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\[[A-Z]+\] (\S+) insufficientData (\d+) subjects: .* \(and (\d+) more subjects?\)$")]
    private static partial Regex GroupLine();

    [Theory]
    [InlineData("partial-evidence")]
    [InlineData("typical-gaps")]
    public void Insufficient_data_is_one_line_per_rule_and_failures_are_listed_one_by_one(string sample)
    {
        var console = CliRunner.Run("evaluate", $"samples/{sample}.json", "--fail-on", "none");
        var json = CliRunner.Run("evaluate", $"samples/{sample}.json", "--fail-on", "none", "--format", "json");
        Assert.Equal(0, console.ExitCode);
        var findings = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => !f.TryGetProperty("suppression", out _))
            .Select(f => (Rule: f.GetProperty("ruleId").GetString()!, Outcome: f.GetProperty("outcome").GetString()!)).ToList();
        var insufficient = findings.Where(f => f.Outcome == "insufficientData").GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count());
        var failures = findings.Count(f => f.Outcome == "fail");

        var lines = console.StandardOutput.Split('\n');
        if (failures > 0)
        {
            Assert.Contains(lines, l => l.StartsWith($"Failures ({failures} from ", StringComparison.Ordinal));
        }

        var start = Array.FindIndex(lines, l => l.StartsWith("Insufficient data (", StringComparison.Ordinal));
        Assert.True(start >= 0 && insufficient.Count > 0, console.StandardOutput);
        var heading = Heading().Match(lines[start]);
        Assert.True(heading.Success, lines[start]);
        Assert.Equal(insufficient.Values.Sum(), int.Parse(heading.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(insufficient.Count, int.Parse(heading.Groups[2].Value, CultureInfo.InvariantCulture));

        // The section: one line per rule with several findings; a rule with one finding keeps its finding and location lines.
        var section = lines.Skip(start + 1).TakeWhile(l => l.Length > 0).ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in section.Where(l => l.StartsWith('[')))
        {
            var group = GroupLine().Match(line);
            var rule = line.Split(' ')[1];
            Assert.False(seen.ContainsKey(rule), $"{rule} appears twice");
            if (group.Success)
            {
                var count = int.Parse(group.Groups[2].Value, CultureInfo.InvariantCulture);
                Assert.Equal(count - 1, int.Parse(group.Groups[3].Value, CultureInfo.InvariantCulture));
                seen[rule] = count;
            }
            else
            {
                seen[rule] = 1;
            }
        }

        Assert.Equal(insufficient.OrderBy(kv => kv.Key, StringComparer.Ordinal), seen.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        // Besides the rule lines, only the "   at" location lines of single findings.
        Assert.All(section.Where(l => !l.StartsWith('[')), l => Assert.StartsWith("   at ", l, StringComparison.Ordinal));
        Assert.True(section.Length <= seen.Count + seen.Count(kv => kv.Value == 1));
    }
}
