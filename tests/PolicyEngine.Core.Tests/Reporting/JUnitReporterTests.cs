using System.Xml.Linq;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class JUnitReporterTests
{
    private static readonly JUnitReporter Reporter = new();

    private static XElement Root(ReportContext context, EvaluationResult? result = null) =>
        XDocument.Parse(RichReportFixture.Text(RichReportFixture.Render(Reporter, context, result))).Root!;

    [Fact]
    public void Output_matches_golden_file_and_the_junit_schema()
    {
        var result = RichReportFixture.Result();
        var bytes = RichReportFixture.Render(Reporter, ReportFixture.Context() with { Baseline = RichReportFixture.Baseline(result) }, result);
        Golden.AssertMatches("findings.junit.xml", bytes);
        Assert.Empty(JUnitSchema.Validate(RichReportFixture.Text(bytes)));
    }

    [Fact]
    public void Output_is_deterministic_utf8_without_bom_with_lf() =>
        RichReportFixture.AssertDeterministicUtf8(Reporter, ReportFixture.Context());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_testcase_per_rule_and_subject_failures_skipped_and_not_applicable_omitted(bool includePassing)
    {
        // The same document whatever --include-passing says: a test report counts what passed.
        var root = Root(ReportFixture.Context(includePassing));
        Assert.Equal(("testsuites", "7", "5", "0", "1"),
            (root.Name.LocalName, root.Attribute("tests")!.Value, root.Attribute("failures")!.Value, root.Attribute("errors")!.Value, root.Attribute("skipped")!.Value));
        Assert.Equal(["SRA-CLOUDTRAIL-01", "SRA-GUARDDUTY-01", "SRA-S3-02"], root.Elements("testsuite").Select(s => s.Attribute("name")!.Value));
        Assert.Equal(
            [
                "SRA-CLOUDTRAIL-01 | 111111111111 global organization | failure fail",
                "SRA-GUARDDUTY-01 | 222222222222 eu-west-1 | failure error",
                "SRA-GUARDDUTY-01 | 222222222222 us-east-1 | failure fail",
                "SRA-GUARDDUTY-01 | 333333333333 eu-west-1 | passed",
                "SRA-GUARDDUTY-01 | 333333333333 us-east-1 | failure insufficientData",
                "SRA-S3-02 | 444444444444 us-east-1 arn:aws:s3:::access-logs | skipped",
                "SRA-S3-02 | 444444444444 us-east-1 arn:aws:s3:::odd\\u001b[31mname | failure fail",
            ],
            root.Descendants("testcase").Select(c => $"{c.Attribute("classname")!.Value} | {c.Attribute("name")!.Value} | "
                + (c.Elements().SingleOrDefault() is { } child ? $"{child.Name.LocalName} {child.Attribute("type")?.Value}".TrimEnd() : "passed")));
        Assert.Empty(JUnitSchema.Validate(root.Document!.ToString()));
    }

    [Fact]
    public void Several_findings_of_one_subject_get_unique_names()
    {
        var result = RichReportFixture.Result();
        var twice = result with { Findings = [result.Findings[0], result.Findings[0] with { Message = "second" }, result.Findings[0] with { Message = "third" }] };
        Assert.Equal(["111111111111 global organization", "111111111111 global organization #2", "111111111111 global organization #3"],
            Root(ReportFixture.Context(), twice).Descendants("testcase").Select(c => c.Attribute("name")!.Value));
    }

    [Fact]
    public void The_schema_check_finds_wrong_counts_and_unknown_elements()
    {
        var root = Root(ReportFixture.Context());
        root.Element("testsuite")!.SetAttributeValue("failures", "0");
        Assert.Contains("testsuite 'SRA-CLOUDTRAIL-01': failures=0, but it holds 1", JUnitSchema.Validate(root.Document!.ToString()));
        root = Root(ReportFixture.Context());
        root.Descendants("testcase").First().Add(new XElement("warning"));
        Assert.NotEmpty(JUnitSchema.Validate(root.Document!.ToString()));
        root = Root(ReportFixture.Context());
        root.Descendants("testcase").First().Attribute("classname")!.Remove();
        Assert.NotEmpty(JUnitSchema.Validate(root.Document!.ToString()));
    }
}
