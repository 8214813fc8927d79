using System.Text.Json;
using System.Xml.Linq;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>policy-engine test</c>: case lines, first differences, summary and exit codes; JUnit and JSON reports; filter;
/// coverage; test-file mistakes that <c>validate</c> and <c>test</c> report; and the shipped pack's own tests.
/// </summary>
public sealed class TestCommandTests : IDisposable
{
    private const string Pack = "tests/PolicyEngine.Cli.Tests/TestData/rule-tests";
    private const string Mistakes = "tests/PolicyEngine.Cli.Tests/TestData/rule-tests-mistakes";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Prints_one_line_per_case_the_first_difference_of_a_failure_and_a_summary_and_exits_1()
    {
        var result = CliRunner.Run("test", Pack);
        Assert.Equal((1, string.Empty), (result.ExitCode, result.StandardError));
        Golden.AssertMatches("rule-tests.txt", result.StandardOutput);
    }

    [Fact]
    public void A_passing_case_is_one_PASS_line_and_a_failing_case_shows_expected_and_actual()
    {
        var lines = CliRunner.Run("test", Pack).StandardOutput.Split('\n');
        Assert.Equal("PASS TEST-EBS-01 :: on everywhere", lines[0]);
        Assert.Equal(
            [
                $"FAIL TEST-EBS-01 :: a wrong expectation ({Pack}/TEST-EBS-01.tests.yaml:29:5)",
                "  first difference at finding 2 (2 findings expected and produced):",
                "    expected: pass account=444444444444 region=* resource=* path=* message=*",
                "    actual:   fail account=444444444444 region=us-east-1 resource=444444444444/us-east-1 path=$['evidence'][1]['response']['EbsEncryptionByDefault'] message=\"EBS encryption by default is off in 444444444444/us-east-1 ($.EbsEncryptionByDefault in ebs is false, expected to equal true).\"",
                "1 test file, 5 cases: 4 passed, 1 failed.",
            ],
            lines[4..9]);
    }

    [Fact]
    public void Filter_selects_cases_by_glob_on_rule_id_or_case_name_and_exits_0_when_they_pass()
    {
        var byName = CliRunner.Run("test", Pack, "--filter", "*denied*");
        Assert.Equal((0, "PASS TEST-EBS-01 :: access denied is insufficient data\n1 test file, 1 case: 1 passed, 0 failed.\n", string.Empty),
            (byName.ExitCode, byName.StandardOutput, byName.StandardError));

        var byRule = CliRunner.Run("test", Pack, "--filter", "TEST-EBS-*");
        Assert.Equal(1, byRule.ExitCode);
        Assert.EndsWith("1 test file, 5 cases: 4 passed, 1 failed.\n", byRule.StandardOutput, StringComparison.Ordinal);

        var none = CliRunner.Run("test", Pack, "--filter", "SRA-*");
        Assert.Equal((2, "--filter: error PE6006: The filter 'SRA-*' matches no rule id or case name among 5 case(s). Globs use * and ?, e.g. 'SRA-GUARDDUTY-*'.\n"),
            (none.ExitCode, none.StandardError));
    }

    [Fact]
    public void Coverage_lists_outcomes_reached_per_rule_and_rules_without_tests()
    {
        var result = CliRunner.Run("test", Pack, "--coverage", "--filter", "TEST-*");
        Assert.Equal(1, result.ExitCode);
        Golden.AssertMatches("rule-tests-coverage.txt", result.StandardOutput);
    }

    [Fact]
    public void Junit_report_has_suites_cases_and_failures_as_CI_reporters_read_them()
    {
        var result = CliRunner.Run("test", Pack, "--format", "junit");
        Assert.Equal(1, result.ExitCode);
        Golden.AssertMatches("rule-tests.junit.xml", result.StandardOutput);
        Assert.Empty(PolicyEngine.Core.Tests.Reporting.JUnitSchema.Validate(result.StandardOutput));
        var root = XDocument.Parse(result.StandardOutput).Root!;
        Assert.Equal(("testsuites", "5", "1"), (root.Name.LocalName, root.Attribute("tests")!.Value, root.Attribute("failures")!.Value));
        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal(5, suite.Elements("testcase").Count());
        var failed = Assert.Single(suite.Elements("testcase"), c => c.Element("failure") is not null);
        Assert.Equal(("TEST-EBS-01", "a wrong expectation"), (failed.Attribute("classname")!.Value, failed.Attribute("name")!.Value));
    }

    [Fact]
    public void Json_report_goes_to_a_file_atomically_with_every_difference()
    {
        var path = Path.Combine(_dir.FullName, "tests.json");
        var result = CliRunner.Run("test", Pack, "--format", "json", "--coverage", "--output", path);
        Assert.Equal((1, string.Empty), (result.ExitCode, result.StandardOutput));
        Assert.Equal(["tests.json"], _dir.GetFiles().Select(f => f.Name));
        var json = File.ReadAllText(path);
        Golden.AssertMatches("rule-tests.json", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(4, document.RootElement.GetProperty("summary").GetProperty("passed").GetInt32());
    }

    [Fact]
    public void Test_file_mistakes_are_located_diagnostics_in_validate_and_test()
    {
        string[] expected =
        [
            $"{Mistakes}/TEST-EBS-01.tests.yaml:5:5: error PE1001: Unknown key 'fixtur' in a test case. Did you mean 'fixture'? Allowed keys: evidence, expect, fixture, includeNotApplicable, name, patch, remove.",
            $"{Mistakes}/TEST-EBS-01.tests.yaml:9:20: error PE1017: Unknown outcome 'passed'. Did you mean 'pass'? 'outcome' must be pass, fail, error, notApplicable or insufficientData.",
            $"{Mistakes}/TEST-EBS-01.tests.yaml:11:14: error PE6001: Unknown fixture 'bse'. Did you mean 'base'? Known fixtures: base, bedrock-logging, detective-enabled, fms-configured, guardduty-enabled, guardduty-foreign-bucket, inspector-enabled, macie-enabled, macie-foreign-bucket, organizations-infrastructure, organizations-misplaced, shield-engagement, shield-subscribed, standalone, waf-associations, waf-webacls. Name a file relative to the test file (fixture: ./my-org.json) or add its directory with --fixtures DIR.",
        ];
        var validate = CliRunner.Run("validate", "--rules", Mistakes);
        Assert.Equal((2, "1 rule compiled, 3 errors, 0 warnings.\n"), (validate.ExitCode, validate.StandardOutput));
        Assert.Equal(expected, validate.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var test = CliRunner.Run("test", Mistakes);
        Assert.Equal((2, "1 test file, 0 cases: 0 passed, 0 failed; 3 errors in the test input.\n"), (test.ExitCode, test.StandardOutput));
        Assert.Equal(expected, test.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Extra_fixture_directories_are_searched_first()
    {
        var fixtures = Directory.CreateDirectory(Path.Combine(_dir.FullName, "fixtures"));
        File.Copy(Path.Combine(CliRunner.RepoRoot, Pack, "fixtures", "two-accounts.json"), Path.Combine(fixtures.FullName, "base.json"));
        var result = CliRunner.Run("test", Pack, "--fixtures", fixtures.FullName, "--filter", "the shipped base fixture*");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("    expected: insufficientData account=111111111111 region=* resource=* path=* message=*\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("    actual:   pass account=111111111111 ", result.StandardOutput, StringComparison.Ordinal);

        var missing = CliRunner.Run("test", Pack, "--fixtures", "no-such-dir");
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("no-such-dir: error PE6005: The fixture directory does not exist (given by --fixtures).", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_pack_passes_and_every_rule_reaches_pass_fail_and_insufficient_data()
    {
        var path = Path.Combine(_dir.FullName, "coverage.json");
        var result = CliRunner.Run("test", "policies/aws-sra", "--coverage", "--format", "json", "--output", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var summary = document.RootElement.GetProperty("summary");
        Assert.True(result.ExitCode == 0, result.StandardError + summary);
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        var rules = Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "policies", "aws-sra"), "*.yaml", SearchOption.AllDirectories)
            .Count(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal));
        var coverage = document.RootElement.GetProperty("coverage").EnumerateArray().ToArray();
        Assert.Equal(rules, coverage.Length);
        var missing = coverage
            .Where(c => !new[] { "pass", "fail", "insufficientData" }.All(o => c.GetProperty("outcomes").EnumerateArray().Any(e => e.GetString() == o)))
            .Select(c => c.GetProperty("rule").GetString())
            .ToList();
        Assert.Empty(missing);
    }
}
