using System.Text.Json;
using PolicyEngine.Core.Tests.Reporting;

namespace PolicyEngine.Cli.Tests.Reports;

/// <summary><c>evaluate --format html|ocsf|asff|markdown|junit</c> on the samples: goldens, and validation of the real output.</summary>
public sealed class RichReportCommandTests
{
    public static TheoryData<string, string, string[]> Goldens() => new()
    {
        { "html", "typical-gaps.html", [] },
        { "ocsf", "typical-gaps.ocsf.jsonl", [] },
        { "asff", "typical-gaps.asff.json", [] },
        { "markdown", "typical-gaps.md", [] },
        { "junit", "typical-gaps.junit.xml", [] },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Evaluate_on_the_gapped_sample_matches_its_golden_file(string format, string golden, string[] options)
    {
        var result = CliRunner.Run(["evaluate", "samples/typical-gaps.json", "--format", format, "--fail-on", "none", .. options]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        Golden.AssertMatches(golden, StableLocations.ForSnapshot(CliRunner.Sample("typical-gaps")).Rewrite(result.StandardOutput, format));
    }

    [Theory]
    [InlineData("html")]
    [InlineData("ocsf")]
    [InlineData("asff")]
    [InlineData("markdown")]
    [InlineData("junit")]
    public void Evaluate_is_byte_for_byte_deterministic(string format)
    {
        var first = CliRunner.Run("evaluate", "samples/partial-evidence.json", "--format", format, "--fail-on", "none", "--include-passing");
        var second = CliRunner.Run("evaluate", "samples/partial-evidence.json", "--format", format, "--fail-on", "none", "--include-passing");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
    }

    [Theory]
    [InlineData("typical-gaps", "1.1.0")]
    [InlineData("typical-gaps", "1.8.0")]
    [InlineData("partial-evidence", "1.1.0")]
    [InlineData("sra-aligned", "1.8.0")]
    public void Ocsf_events_of_every_sample_are_valid_compliance_findings(string sample, string version)
    {
        var result = CliRunner.Run("evaluate", $"samples/{sample}.json", "--format", "ocsf", "--ocsf-version", version, "--fail-on", "none", "--include-passing");
        Assert.Equal(0, result.ExitCode);
        var schema = OcsfSchema.Load(version);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.Empty(schema.Validate(document.RootElement));
        }
    }

    [Theory]
    [InlineData("typical-gaps")]
    [InlineData("partial-evidence")]
    [InlineData("sra-aligned")]
    public void Asff_requests_of_every_sample_are_valid_batch_import_findings_requests(string sample)
    {
        var result = CliRunner.Run("evaluate", $"samples/{sample}.json", "--format", "asff", "--fail-on", "none", "--include-passing");
        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var model = AsffModel.Load();
        Assert.True(document.RootElement.GetArrayLength() > 0);
        foreach (var request in document.RootElement.EnumerateArray())
        {
            Assert.Empty(model.Validate(request, "BatchImportFindingsRequest"));
            Assert.InRange(request.GetProperty("Findings").GetArrayLength(), 1, 100);
        }
    }

    [Theory]
    [InlineData("typical-gaps")]
    [InlineData("partial-evidence")]
    [InlineData("sra-aligned")]
    public void Junit_reports_of_every_sample_follow_the_junit_schema_with_unique_testcases(string sample)
    {
        var result = CliRunner.Run("evaluate", $"samples/{sample}.json", "--format", "junit", "--fail-on", "none");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(JUnitSchema.Validate(result.StandardOutput));
        var cases = System.Xml.Linq.XDocument.Parse(result.StandardOutput).Descendants("testcase")
            .Select(c => c.Attribute("classname")!.Value + " | " + c.Attribute("name")!.Value).ToList();
        Assert.NotEmpty(cases);
        Assert.Equal(cases.Count, cases.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Markdown_and_junit_go_to_files_beside_the_console_in_one_evaluation()
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-md-");
        try
        {
            var markdown = Path.Combine(directory.FullName, "summary.md");
            var junit = Path.Combine(directory.FullName, "findings.xml");
            var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", $"markdown={markdown}", "--format", $"junit={junit}", "--format", "console", "--fail-on", "none");
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.StartsWith("## policy-engine: ", File.ReadAllText(markdown), StringComparison.Ordinal);
            Assert.Empty(JUnitSchema.Validate(File.ReadAllText(junit)));
            Assert.Contains("unsuppressed", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unknown_ocsf_version_or_region_is_a_usage_error()
    {
        var version = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "ocsf", "--ocsf-version", "1.2.0");
        Assert.Equal(3, version.ExitCode);
        Assert.Contains("'1.2.0'", version.StandardError, StringComparison.Ordinal);
        Assert.Contains("1.8.0", version.StandardError, StringComparison.Ordinal);
        var region = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "asff", "--asff-region", "Europe");
        Assert.Equal(3, region.ExitCode);
        Assert.Contains("--asff-region 'Europe' is not an AWS region name such as us-east-1", region.StandardError, StringComparison.Ordinal);
    }
}
