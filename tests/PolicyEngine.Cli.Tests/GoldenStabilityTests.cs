using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// Adding a rule and its evidence to the samples must change only the goldens' lines that belong to that rule (its
/// descriptor, its findings) and the summary counts, so that a contributor can read the whole golden diff.
/// </summary>
public sealed partial class GoldenStabilityTests
{
    private const string NewRuleId = "SRA-ACCOUNT-90";

    // An extension rule that reads evidence no other rule reads: the enabled Regions of each account.
    private const string NewRule = """
        id: SRA-ACCOUNT-90
        title: eu-west-1 is enabled
        message: "Account {account} ({accountName}) has not enabled eu-west-1."
        category: Account
        severity: low
        description: Demonstration rule of GoldenStabilityTests.
        remediation: Enable the Region.
        extension: true
        target: account
        inputs:
          enabled:
            operation: account:ListRegions
        assert:
          - path: "$.Regions[?@.RegionName == 'eu-west-1' && @.RegionOptStatus == 'ENABLED']"
            notEmpty: true
            message: eu-west-1 is not enabled
        """;

    public static TheoryData<string> FormatNames() => new(["console", "json", "sarif", "sra-verify-csv", "html", "ocsf", "asff", "markdown", "junit"]);

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void A_new_rule_with_new_evidence_changes_only_its_own_lines_and_the_summary(string format)
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-golden-");
        try
        {
            var rules = Directory.CreateDirectory(Path.Combine(directory.FullName, "extra"));
            File.WriteAllText(Path.Combine(rules.FullName, NewRuleId + ".yaml"), NewRule);
            var snapshot = Path.Combine(directory.FullName, "typical-gaps.json");
            var sample = JsonNode.Parse(File.ReadAllText(CliRunner.Sample("typical-gaps")))!.AsObject();

            File.WriteAllText(snapshot, Write(sample));
            var before = Evaluate(snapshot, format, "--rules", "policies/aws-sra");

            // One record in the middle of the evidence: every later record moves down one index and many lines.
            InsertNewEvidence(sample);
            File.WriteAllText(snapshot, Write(sample));
            var after = Evaluate(snapshot, format, "--rules", "policies/aws-sra", "--rules", rules.FullName);

            // The summary (counts per outcome, severity and service) comes before the first rule or finding.
            var summaryEnd = format switch
            {
                "console" => Array.FindIndex(before, l => l.StartsWith("Failures (", StringComparison.Ordinal)),
                "json" => Array.IndexOf(before, "  \"rules\": ["),
                "html" => Array.FindIndex(before, l => l.StartsWith("<section class=\"group rule\"", StringComparison.Ordinal)),
                "markdown" => Array.IndexOf(before, "<details>"),
                "junit" => Array.FindIndex(before, l => l.StartsWith("  <testsuite ", StringComparison.Ordinal)),
                _ => 0,
            };
            var hunks = LineDiff.Hunks(before, after);
            Assert.NotEmpty(hunks);
            foreach (var hunk in hunks)
            {
                var inSummary = hunk.BeforeStart < summaryEnd;
                // Otherwise: only a section's count changed, and whatever else was added names the new rule.
                var others = hunk.Added.Where(l => !IsCountLine(l)).ToList();
                var ownLines = hunk.Removed.All(IsCountLine) && hunk.Removed.Count == hunk.Added.Count(IsCountLine)
                    && (others.Count == 0 || others.Any(l => l.Contains(NewRuleId, StringComparison.Ordinal)));
                Assert.True(inSummary || ownLines,
                    $"a change outside the summary does not belong to {NewRuleId}:\n- " + string.Join("\n- ", hunk.Removed) + "\n+ " + string.Join("\n+ ", hunk.Added));
            }

            // The new rule's findings are there (unless the markdown report was cut to its size limit before them),
            // and nothing of the others was removed outside the summary.
            if (!after.Any(l => l.Contains(" more findings are not listed here.", StringComparison.Ordinal)))
            {
                Assert.Contains(after, l => l.Contains(NewRuleId, StringComparison.Ordinal));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_explanation_does_not_change_when_an_unrelated_rule_and_its_evidence_are_added()
    {
        // Regression: the explain golden located nodes by evidence index ($['evidence'][173]), so any sample record
        // added before the cloudtrail records rewrote it.
        var directory = Directory.CreateTempSubdirectory("policy-engine-golden-");
        try
        {
            var rules = Directory.CreateDirectory(Path.Combine(directory.FullName, "extra"));
            File.WriteAllText(Path.Combine(rules.FullName, NewRuleId + ".yaml"), NewRule);
            var snapshot = Path.Combine(directory.FullName, "typical-gaps.json");
            var sample = JsonNode.Parse(File.ReadAllText(CliRunner.Sample("typical-gaps")))!.AsObject();
            File.WriteAllText(snapshot, Write(sample));
            var before = Explain(snapshot, "--rules", "policies/aws-sra");
            InsertNewEvidence(sample);
            File.WriteAllText(snapshot, Write(sample));
            var after = Explain(snapshot, "--rules", "policies/aws-sra", "--rules", rules.FullName);
            Assert.Contains("$['evidence'][cloudtrail:DescribeTrails@111111111111/us-east-1{includeShadowTrails=true}]", before, StringComparison.Ordinal);
            Assert.Equal(before, after);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>One record in the middle of the evidence: every later record moves down one index and many lines.</summary>
    private static void InsertNewEvidence(JsonObject sample)
    {
        var evidence = sample["evidence"]!.AsArray();
        var at = evidence.Select((e, i) => (e, i)).First(x => string.CompareOrdinal(x.e!["service"]!.GetValue<string>(), "account") > 0
            || (x.e!["service"]!.GetValue<string>() == "account" && string.CompareOrdinal(x.e["operation"]!.GetValue<string>(), "ListRegions") > 0)).i;
        evidence.Insert(at, JsonNode.Parse("""
            {"service": "account", "operation": "ListRegions", "account": "444444444444", "region": "global", "parameters": {},
             "status": "ok", "response": {"Regions": [{"RegionName": "us-east-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"}]}}
            """));
    }

    private static string Explain(string snapshot, params string[] rules)
    {
        var result = CliRunner.Run(["evaluate", snapshot, "--explain", "SRA-CLOUDTRAIL-02", "--subject", "111111111111", .. rules]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return StableLocations.ForSnapshot(snapshot).Rewrite(result.StandardOutput, "explain").Replace(snapshot, "SNAPSHOT", StringComparison.Ordinal);
    }

    // The console's section headers and closing line count findings too, as do the HTML report's headings and the
    // markdown report's note on what it cut.
    private static bool IsCountLine(string line) =>
        line.StartsWith("Failures (", StringComparison.Ordinal) || line.StartsWith("Insufficient data (", StringComparison.Ordinal)
        || line.EndsWith(" need attention.", StringComparison.Ordinal) || line.EndsWith(" needs attention.", StringComparison.Ordinal)
        || HtmlCountHeading().IsMatch(line) || line.Contains(" more findings are not listed here.", StringComparison.Ordinal);

    // The HTML report's section headings count findings: <h2>Insufficient data (7)</h2>.
    [System.Text.RegularExpressions.GeneratedRegex(@"^<h2>[^<]*\(\d+\)</h2>$")]
    private static partial System.Text.RegularExpressions.Regex HtmlCountHeading();

    private static string Write(JsonObject snapshot) =>
        snapshot.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    private static string[] Evaluate(string snapshot, string format, params string[] rules)
    {
        var result = CliRunner.Run(["evaluate", snapshot, "--format", format, "--fail-on", "none", .. rules]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return StableLocations.ForSnapshot(snapshot).Rewrite(result.StandardOutput, format)
            .Replace(snapshot, "SNAPSHOT", StringComparison.Ordinal).Split('\n');
    }
}

/// <summary>A line diff (Myers' O(ND) algorithm) reporting each run of changes as a hunk.</summary>
internal static class LineDiff
{
    public sealed record Hunk(int BeforeStart, IReadOnlyList<string> Removed, IReadOnlyList<string> Added);

    public static List<Hunk> Hunks(string[] a, string[] b)
    {
        var max = a.Length + b.Length;
        var v = new int[(2 * max) + 3];
        var offset = max + 1;
        // Only the diagonals -d-1..d+1 can be read when backtracking from round d, so only those are kept.
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add(v[(offset - d - 1)..(offset + d + 2)]);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < a.Length && y < b.Length && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= a.Length && y >= b.Length)
                {
                    return Collect(Backtrack(trace, a.Length, b.Length), a, b);
                }
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    // The edit script from the start: '=' keeps a line, '-' removes a[X], '+' adds b[Y].
    private static List<(char Kind, int X, int Y)> Backtrack(List<int[]> trace, int x, int y)
    {
        var edits = new List<(char, int, int)>();
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var v = trace[d];
            int At(int diagonal) => v[diagonal + d + 1];
            var k = x - y;
            var previousK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var previousX = At(previousK);
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                edits.Add(('=', --x, --y));
            }

            if (d > 0)
            {
                edits.Add(x == previousX ? ('+', x, --y) : ('-', --x, y));
            }
        }

        edits.Reverse();
        return edits;
    }

    private static List<Hunk> Collect(List<(char Kind, int X, int Y)> edits, string[] a, string[] b)
    {
        var hunks = new List<Hunk>();
        for (var i = 0; i < edits.Count;)
        {
            if (edits[i].Kind == '=')
            {
                i++;
                continue;
            }

            var start = edits[i].X;
            var removed = new List<string>();
            var added = new List<string>();
            for (; i < edits.Count && edits[i].Kind != '='; i++)
            {
                (edits[i].Kind == '-' ? removed : added).Add(edits[i].Kind == '-' ? a[edits[i].X] : b[edits[i].Y]);
            }

            hunks.Add(new Hunk(start, removed, added));
        }

        return hunks;
    }
}
