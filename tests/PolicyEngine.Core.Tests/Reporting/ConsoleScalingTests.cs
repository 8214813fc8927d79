using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>The console report on many findings: grouped by rule, most severe first, capped per rule, wrapped only on a terminal.</summary>
public sealed class ConsoleScalingTests
{
    private static string Console(EvaluationResult result, ReportContext context) =>
        RichReportFixture.Text(RichReportFixture.Render(new ConsoleReporter(), context, result));

    /// <summary>Rule i (ids in reverse severity order) has severity low + i mod 4 and <paramref name="perRule"/> failing buckets.</summary>
    private static EvaluationResult Many(int rules, int perRule, string message = "allows public access") =>
        RichReportFixture.ManyFailingRules(rules, perRule, i => (RuleSeverity)((int)RuleSeverity.Low + (i % 4)), j => $"bucket-{j:D5} {message}");

    [Fact]
    public void Rules_come_most_severe_first_then_by_id_each_with_at_most_max_per_rule_subjects()
    {
        var lines = Console(Many(rules: 4, perRule: 25), ReportFixture.Context() with { MaxPerRule = 3 }).Split('\n');
        Assert.Contains("Failures (100 from 4 rules, most severe first):", lines);
        Assert.Equal(
            [
                "[CRITICAL] SRA-GEN-03 Generated rule 3 (25):",
                "[HIGH] SRA-GEN-02 Generated rule 2 (25):",
                "[MEDIUM] SRA-GEN-01 Generated rule 1 (25):",
                "[LOW] SRA-GEN-00 Generated rule 0 (25):",
            ],
            lines.Where(l => l.StartsWith('[')));
        var first = Array.IndexOf(lines, "[CRITICAL] SRA-GEN-03 Generated rule 3 (25):");
        Assert.Equal(
            [
                "   444444444444 us-east-1 arn:aws:s3:::bucket-00000: bucket-00000 allows public access",
                "   444444444444 us-east-1 arn:aws:s3:::bucket-00001: bucket-00001 allows public access",
                "   444444444444 us-east-1 arn:aws:s3:::bucket-00002: bucket-00002 allows public access",
                "   … and 22 more subjects (--max-per-rule 0 lists every one)",
            ],
            lines[(first + 1)..(first + 5)]);
        // 0 lists every subject.
        Assert.Equal(100, Console(Many(rules: 4, perRule: 25), ReportFixture.Context() with { MaxPerRule = 0 }).Split('\n').Count(l => l.StartsWith("   444", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_report_of_30000_findings_stays_short()
    {
        var lines = Console(Many(rules: 12, perRule: 2_500), ReportFixture.Context()).Split('\n');
        // Summary (about 10 lines) + 12 rules x (header + 10 subjects + "and K more") + closing lines.
        Assert.InRange(lines.Length, 150, 170);
    }

    [Fact]
    public void On_a_terminal_long_lines_wrap_at_a_space_within_the_width_and_in_a_pipe_they_never_do()
    {
        var result = Many(rules: 1, perRule: 1, message: "allows public access because BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets are all false");
        var piped = Console(result, ReportFixture.Context());
        Assert.Contains("   444444444444 us-east-1 arn:aws:s3:::bucket-00000: bucket-00000 allows public access because BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets are all false\n", piped, StringComparison.Ordinal);
        var wrapped = Console(result, ReportFixture.Context() with { TerminalWidth = 60 });
        Assert.All(wrapped.Split('\n'), l => Assert.True(l.Length <= 60, $"{l.Length}: {l}"));
        Assert.Contains(
            "   444444444444 us-east-1 arn:aws:s3:::bucket-00000:\n"
            + "       bucket-00000 allows public access because\n"
            + "       BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy\n"
            + "       and RestrictPublicBuckets are all false\n",
            wrapped,
            StringComparison.Ordinal);
        // Wrapping moves line breaks only: the words are the same.
        Assert.Equal(piped.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries), wrapped.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Wrapping_keeps_colours_closed_on_each_line()
    {
        var result = Many(rules: 1, perRule: 1, message: new string('x', 150));
        var wrapped = Console(result, ReportFixture.Context(useColor: true) with { TerminalWidth = 40 });
        foreach (var line in wrapped.Split('\n'))
        {
            var visible = System.Text.RegularExpressions.Regex.Replace(line, "\u001b\\[[0-9;]*m", string.Empty);
            Assert.True(visible.Length <= 40, visible);
            Assert.Equal(line.Split("\u001b[0m").Length - 1, System.Text.RegularExpressions.Regex.Count(line, "\u001b\\[[0-9;]*[1-9][0-9;]*m"));
        }
    }
}
