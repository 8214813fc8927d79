using System.Text.RegularExpressions;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// docs/reliability.md maps each defect of issue 15 to its regression tests. The map stays true: it has one row per
/// defect, 1 to 22, and every <c>Class.Method</c> it names is a test method of that class under tests/.
/// </summary>
public sealed partial class ReliabilityDocTests
{
    [GeneratedRegex(@"^\| (?<defect>[0-9]+) \| .* \| (?<tests>.*) \|$", RegexOptions.Multiline)]
    private static partial Regex DefectRow();

    [GeneratedRegex(@"`(?<class>[A-Z]\w*Tests)\.(?<method>[A-Z]\w+)`")]
    private static partial Regex TestName();

    [Fact]
    public void Every_defect_has_a_row_and_every_test_it_names_exists()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "reliability.md"));
        var start = text.IndexOf("## Defects of issue 15", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/reliability.md has no section '## Defects of issue 15'");
        var section = text[start..text.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var rows = DefectRow().Matches(section).ToList();
        Assert.Equal(Enumerable.Range(1, 22), rows.Select(r => int.Parse(r.Groups["defect"].Value, System.Globalization.CultureInfo.InvariantCulture)));

        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var missing = new List<string>();
        foreach (var row in rows)
        {
            var names = TestName().Matches(row.Groups["tests"].Value).ToList();
            Assert.True(names.Count > 0, $"defect {row.Groups["defect"].Value} names no test");
            foreach (var name in names)
            {
                var className = name.Groups["class"].Value;
                var method = name.Groups["method"].Value;
                if (!sources.Any(s => Regex.IsMatch(s, $@"\bclass {className}\b") && Regex.IsMatch(s, $@"\bvoid {method}\(")))
                {
                    missing.Add($"{row.Groups["defect"].Value}: {className}.{method}");
                }
            }
        }

        Assert.Empty(missing);
    }
}
