using System.Text.RegularExpressions;
using PolicyEngine.Core.Reporting;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed partial class HtmlReporterTests
{
    private static readonly HtmlReporter Reporter = new();

    private static string Page(bool includePassing = false) =>
        RichReportFixture.Text(RichReportFixture.Render(Reporter, ReportFixture.Context(includePassing)));

    [Theory]
    [InlineData(false, "report.html")]
    [InlineData(true, "report-all.html")]
    public void Output_matches_golden_file(bool includePassing, string golden) =>
        Golden.AssertMatches(golden, RichReportFixture.Render(Reporter, ReportFixture.Context(includePassing)));

    [Fact]
    public void With_a_baseline_and_a_filter_the_summary_says_both_each_row_its_status_and_a_section_lists_the_fixed()
    {
        var result = RichReportFixture.Result();
        var context = ReportFixture.Context() with { Baseline = RichReportFixture.Baseline(result), Filter = "severity low or above" };
        var bytes = RichReportFixture.Render(Reporter, context, result);
        Golden.AssertMatches("report-baseline.html", bytes);
        var page = RichReportFixture.Text(bytes);
        Assert.Contains("<p class=\"filtered\"><strong>Filter:</strong> severity low or above (every count covers the filtered findings only).</p>", page, StringComparison.Ordinal);
        Assert.Contains("<p class=\"baseline\"><strong>Baseline</strong> <code>baseline.json</code>: 1 new, 5 unchanged, <a href=\"#fixed\">1 fixed</a>.</p>", page, StringComparison.Ordinal);
        Assert.Equal(["new", "unchanged", "unchanged", "unchanged", "unchanged", "unchanged"],
            Regex.Matches(page, "<td class=\"b-([a-z]*)\">").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.Single(Regex.Matches(page, "<tr class=\"fixed\"><td>SRA-GUARDDUTY-01</td>"));
        Assert.Contains("<h2>Fixed since the baseline (1)</h2>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_is_deterministic_utf8_without_bom_with_lf(bool includePassing) =>
        RichReportFixture.AssertDeterministicUtf8(Reporter, ReportFixture.Context(includePassing));

    [Fact]
    public void The_page_is_self_contained_its_only_links_are_the_rules_help_links()
    {
        var page = Page();
        Assert.DoesNotContain("<link", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fetch(", page, StringComparison.Ordinal);
        Assert.DoesNotContain("XMLHttpRequest", page, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", page, StringComparison.Ordinal);
        // Every external reference is an anchor to a rule's help page.
        var external = ExternalHref().Matches(page).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["https://example.com/sra/cloudtrail"], external);
    }

    [Fact]
    public void Each_finding_is_in_exactly_one_section_insufficient_data_and_suppressed_apart()
    {
        var page = Page();
        var findings = Section(page, "findings");
        var insufficient = Section(page, "insufficient");
        var suppressed = Section(page, "suppressed");
        Assert.Equal(4, Rows(findings)); // CloudTrail fail, GuardDuty error and fail, the unsuppressed S3 fail
        Assert.Equal(1, Rows(insufficient));
        Assert.Equal(1, Rows(suppressed));
        Assert.Contains("AccessDenied", insufficient, StringComparison.Ordinal);
        Assert.DoesNotContain("AccessDenied", findings, StringComparison.Ordinal);
        Assert.Contains("Public website bucket, reviewed by security 2025-01", suppressed, StringComparison.Ordinal);
        Assert.DoesNotContain("access-logs", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_groups_come_by_severity_then_id_with_description_remediation_and_help_link()
    {
        var findings = Section(Page(), "findings");
        var order = RuleGroup().Matches(findings).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["SRA-CLOUDTRAIL-01", "SRA-GUARDDUTY-01", "SRA-S3-02"], order);
        Assert.Contains("<p>An organization trail records API activity in every account.</p>", findings, StringComparison.Ordinal);
        Assert.Contains("<strong>Remediation:</strong> Create an organization trail in the management account.", findings, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/sra/cloudtrail\" rel=\"noreferrer\">", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_text_is_escaped_and_control_characters_are_shown_not_emitted()
    {
        var page = Page();
        Assert.DoesNotContain('\u001b', page);
        Assert.Contains("odd\\u001b[31mname", page, StringComparison.Ordinal);
        Assert.Contains("&quot;all four&quot;", page, StringComparison.Ordinal);
        Assert.Equal("&lt;b&gt; &amp; &quot;x&quot;", HtmlReporter.Escape("<b> & \"x\""));
    }

    [Fact]
    public void Charts_are_inline_svg_per_service_account_and_ou()
    {
        var page = Page();
        foreach (var id in new[] { "chart-service", "chart-account", "chart-ou" })
        {
            Assert.Contains($"<figure id=\"{id}\">", page, StringComparison.Ordinal);
        }

        var ou = Figure(page, "chart-ou");
        Assert.Contains("<title>Root/Security: 2 fail, 0 error, 1 insufficient data, 1 pass</title>", ou, StringComparison.Ordinal);
        Assert.Contains("<title>Root/Workloads/Prod: 1 fail, 1 error, 0 insufficient data, 0 pass</title>", ou, StringComparison.Ordinal);
    }

    private static string Section(string page, string id)
    {
        var start = page.IndexOf($"<section id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, id);
        var end = page.IndexOf("<section id=", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    private static string Figure(string page, string id)
    {
        var start = page.IndexOf($"<figure id=\"{id}\">", StringComparison.Ordinal);
        return page[start..page.IndexOf("</figure>", start, StringComparison.Ordinal)];
    }

    private static int Rows(string html) => Regex.Count(html, "<tr class=\"finding\">");

    [GeneratedRegex("href=\"(https?:[^\"]*)\"")]
    private static partial Regex ExternalHref();

    [GeneratedRegex("<section class=\"group rule\" id=\"rule-([^\"]+)\"")]
    private static partial Regex RuleGroup();
}
