using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// With scoped severity the findings of one rule may carry different severities: reports rank the rule by its most
/// severe finding and show each finding's own severity, never the rule's default.
/// </summary>
public class ScopedSeverityReportTests
{
    /// <summary>SRA-GEN-00 medium everywhere; SRA-GEN-01 (default medium) critical for its first bucket only.</summary>
    private static EvaluationResult Result()
    {
        var result = RichReportFixture.ManyFailingRules(2, 3, _ => RuleSeverity.Medium, j => $"bucket {j} is open");
        var findings = result.Findings.ToArray();
        findings[3] = findings[3] with { Severity = RuleSeverity.Critical };
        return result with { Findings = findings };
    }

    private static string[] Lines(IFindingsReporter reporter) =>
        RichReportFixture.Text(RichReportFixture.Render(reporter, ReportFixture.Context(), Result())).Split('\n');

    [Fact]
    public void Markdown_ranks_a_rule_by_its_most_severe_finding_and_marks_the_findings_that_differ()
    {
        var lines = Lines(new MarkdownReporter());
        Assert.Equal(
            ["| critical | SRA-GEN-01 | Generated rule 1 | 3 | 0 | 0 |", "| medium | SRA-GEN-00 | Generated rule 0 | 3 | 0 | 0 |"],
            lines.Where(l => l.StartsWith("| critical |", StringComparison.Ordinal) || l.StartsWith("| medium |", StringComparison.Ordinal)));
        Assert.Contains("<summary><b>CRITICAL</b> SRA-GEN-01 Generated rule 1: 3 fail</summary>", lines);
        Assert.Equal(
            [
                "- fail `444444444444` `us-east-1` `arn:aws:s3:::bucket-00000`: bucket 0 is open",
                "- **MEDIUM** fail `444444444444` `us-east-1` `arn:aws:s3:::bucket-00001`: bucket 1 is open",
                "- **MEDIUM** fail `444444444444` `us-east-1` `arn:aws:s3:::bucket-00002`: bucket 2 is open",
            ],
            lines.SkipWhile(l => !l.Contains("<b>CRITICAL</b> SRA-GEN-01", StringComparison.Ordinal)).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Take(3));
    }

    [Fact]
    public void The_console_heads_the_rule_with_its_most_severe_finding_and_marks_the_others()
    {
        var lines = Lines(new ConsoleReporter());
        var group = lines.SkipWhile(l => !l.StartsWith("[CRITICAL] SRA-GEN-01", StringComparison.Ordinal)).Take(4).ToArray();
        Assert.Equal("[CRITICAL] SRA-GEN-01 Generated rule 1 (3):", group[0]);
        Assert.DoesNotContain("[MEDIUM]", group[1], StringComparison.Ordinal);
        Assert.All(group[2..], l => Assert.StartsWith("   [MEDIUM] ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Sarif_and_json_give_each_result_its_own_severity()
    {
        var sarif = string.Join('\n', Lines(new SarifReporter()));
        Assert.Equal(1, sarif.Split("\"severity\": \"critical\"").Length - 1);
        var json = string.Join('\n', Lines(new JsonReporter()));
        Assert.Equal(1, json.Split("\"severity\": \"critical\"").Length - 1);
    }
}
