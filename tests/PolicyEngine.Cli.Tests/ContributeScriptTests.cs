using System.Text.RegularExpressions;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// CONTRIBUTING.md promises that <c>.ci/contribute</c> leaves the tree green after a rule, plan or sample change: it
/// regenerates every file the CLI tests compare with a report on the samples or the shipped pack. Regression: it did
/// not regenerate docs/authoring.md, whose tutorial output shows the shipped pack's rule count, so one new rule left
/// AuthoringTutorialTests red. And CONTRIBUTING says which configuration <c>.ci/run</c> tests (it once said Release).
/// </summary>
public sealed partial class ContributeScriptTests
{
    /// <summary>Golden or generated-file tests that a pack, plan or sample change cannot affect, and why.</summary>
    private static readonly Dictionary<string, string> NotRegenerated = new(StringComparer.Ordinal)
    {
        ["TestCommandTests"] = "its goldens are test runs over TestData/rule-tests, not the shipped pack",
        ["HtmlBrowserTests"] = "the screenshot it rewrites under UPDATE_DOCS is not compared",
    };

    [Fact]
    public void Contribute_regenerates_every_cli_golden_and_generated_doc_that_the_pack_or_samples_change()
    {
        var script = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, ".ci", "contribute"));
        var filters = FilterTerm().Matches(script).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var project = Path.Combine(CliRunner.RepoRoot, "tests", "PolicyEngine.Cli.Tests");
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var className = Path.GetFileNameWithoutExtension(file);
            if (className == "CliRunner" || NotRegenerated.ContainsKey(className))
            {
                continue;
            }

            foreach (Match call in ComparesGeneratedFile().Matches(text))
            {
                // The test method the comparison is in: the nearest declaration above it.
                var method = TestMethod().Matches(text[..call.Index]).LastOrDefault()?.Groups["name"].Value;
                if (!filters.Contains(className) && (method is null || !filters.Contains(method)))
                {
                    missing.Add($"{className}.{method}");
                }
            }
        }

        Assert.True(missing.Count == 0,
            "Add to the regeneration filter of .ci/contribute (or to NotRegenerated here, saying why): " + string.Join(", ", missing.Distinct()));
        Assert.Contains("AuthoringTutorialTests", filters);
    }

    [Fact]
    public void Contributing_names_the_configuration_that_ci_run_tests()
    {
        var run = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, ".ci", "run"));
        var test = Assert.Single(run, l => l.TrimStart().StartsWith("dotnet test", StringComparison.Ordinal));
        Assert.DoesNotContain("-c ", test, StringComparison.Ordinal);
        Assert.DoesNotContain("--configuration", test, StringComparison.Ordinal);
        var contributing = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "CONTRIBUTING.md")).ReplaceLineEndings(" ");
        Assert.Contains("`.ci/run` runs `dotnet test` (the Debug configuration", contributing, StringComparison.Ordinal);
        Assert.Contains("fuzz", contributing, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"FullyQualifiedName~(?<name>\w+)")]
    private static partial Regex FilterTerm();

    [GeneratedRegex(@"Golden\.AssertMatches\(|GeneratedFile\.AssertCurrent\(|GetEnvironmentVariable\(""UPDATE_DOCS""\)")]
    private static partial Regex ComparesGeneratedFile();

    [GeneratedRegex(@"public (?:async Task|void) (?<name>\w+)\(")]
    private static partial Regex TestMethod();
}
