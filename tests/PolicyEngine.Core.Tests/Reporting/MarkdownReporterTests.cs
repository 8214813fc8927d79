using System.Text.RegularExpressions;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class MarkdownReporterTests
{
    private static readonly MarkdownReporter Reporter = new();

    [Fact]
    public void Output_matches_golden_file() =>
        Golden.AssertMatches("summary.md", RichReportFixture.Render(Reporter, ReportFixture.Context()));

    [Fact]
    public void With_a_baseline_and_a_filter_the_new_findings_come_first_and_the_fixed_ones_last()
    {
        var result = RichReportFixture.Result();
        var context = ReportFixture.Context() with { Baseline = RichReportFixture.Baseline(result), Filter = "severity low or above" };
        var bytes = RichReportFixture.Render(Reporter, context, result);
        Golden.AssertMatches("summary-baseline.md", bytes);
        var text = RichReportFixture.Text(bytes);
        Assert.Contains("Filter: severity low or above (every count covers the filtered findings only).", text, StringComparison.Ordinal);
        Assert.Contains("Baseline `baseline.json`: **1 new**, 5 unchanged, 1 fixed.", text, StringComparison.Ordinal);
        var headings = Regex.Matches(text, "^###? .*$|^<summary>.*$", RegexOptions.Multiline).Select(m => m.Value).ToArray();
        Assert.Equal("### New since the baseline (1)", headings[1]);
        Assert.Equal("### Top failing rules (3 of 3)", headings[2]);
        Assert.Equal("<summary>Fixed since the baseline (1)</summary>", headings[^1]);
    }

    [Fact]
    public void Output_is_deterministic_utf8_without_bom_with_lf() =>
        RichReportFixture.AssertDeterministicUtf8(Reporter, ReportFixture.Context());

    [Fact]
    public void Rules_are_sorted_by_severity_then_count_and_each_lists_at_most_max_per_rule_subjects()
    {
        var result = Many(rules: 3, perRule: 25);
        var text = RichReportFixture.Text(RichReportFixture.Render(Reporter, ReportFixture.Context() with { MaxPerRule = 10 }, result));
        AssertWellFormed(text);
        Assert.Equal(
            ["<summary><b>CRITICAL</b> SRA-GEN-02 Generated rule 2: 25 fail</summary>",
             "<summary><b>HIGH</b> SRA-GEN-01 Generated rule 1: 25 fail</summary>",
             "<summary><b>MEDIUM</b> SRA-GEN-00 Generated rule 0: 25 fail</summary>"],
            Regex.Matches(text, "^<summary>.*$", RegexOptions.Multiline).Select(m => m.Value));
        Assert.Equal(3, Regex.Count(text, "^- … and 15 more subjects$", RegexOptions.Multiline));
        Assert.DoesNotContain("> **Cut", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_longer_than_githubs_limit_is_cut_at_a_whole_line_with_closed_details_and_a_note()
    {
        // 39 rules x 300 subjects, every subject listed: about 1.2 MB of Markdown uncut.
        var result = Many(rules: 39, perRule: 300);
        var bytes = RichReportFixture.Render(Reporter, ReportFixture.Context() with { MaxPerRule = 0 }, result);
        var text = RichReportFixture.Text(bytes);
        Assert.InRange(text.Length, MarkdownReporter.CharacterLimit - 2_000, MarkdownReporter.CharacterLimit);
        AssertWellFormed(text);
        var listed = Regex.Count(text, "^- fail ", RegexOptions.Multiline);
        var note = Regex.Match(text, @"\n> \*\*Cut to stay under GitHub's 65,536-character limit:\*\* (\d+) more findings are not listed here\. .*\n$");
        Assert.True(note.Success, text[^400..]);
        Assert.Equal(39 * 300, listed + int.Parse(note.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        // The counts at the top still cover every finding.
        Assert.Contains("| count | 3900 | 3900 | 3900 | 0 | 0 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_the_snapshot_cannot_format_link_mention_or_inject_html()
    {
        Assert.Equal(@"a \*b\* \_c\_ &lt;img src=x&gt; \[l\](u) \| \`x\` \\u001b", MarkdownReporter.Escape("a *b* _c_ <img src=x> [l](u) | `x` \u001b"));
        Assert.Equal("``a`b``", MarkdownReporter.Code("a`b"));
        Assert.Equal("`` `x ``", MarkdownReporter.Code("`x"));
        Assert.Equal("`@team\\u000aline`", MarkdownReporter.Code("@team\nline"));
    }

    /// <summary>Every &lt;details&gt; closed, no line break inside a list item, nothing after the last line's newline.</summary>
    private static void AssertWellFormed(string text)
    {
        Assert.Equal(Regex.Count(text, "^<details>$", RegexOptions.Multiline), Regex.Count(text, "^</details>$", RegexOptions.Multiline));
        var depth = 0;
        foreach (var line in text.Split('\n'))
        {
            depth += line == "<details>" ? 1 : line == "</details>" ? -1 : 0;
            Assert.InRange(depth, 0, 1);
        }

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.True(text.Length < MarkdownReporter.CharacterLimit);
    }

    /// <summary>Rule i has severity medium + i mod 3 and <paramref name="perRule"/> failing buckets.</summary>
    private static EvaluationResult Many(int rules, int perRule) =>
        RichReportFixture.ManyFailingRules(rules, perRule, i => (RuleSeverity)((int)RuleSeverity.Medium + (i % 3)),
            j => $"bucket arn:aws:s3:::bucket-{j:D5} allows public access", located: true);
}
