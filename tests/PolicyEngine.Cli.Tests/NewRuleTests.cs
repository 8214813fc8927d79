using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>policy-engine new rule</c>: the scaffolded rule compiles with the shipped pack, its test cases validate and
/// reach pass, fail and insufficientData, nothing is overwritten, and bad ids or operations write nothing.
/// </summary>
public sealed class NewRuleTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-new-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Pack => Path.Combine(_dir.FullName, "acme");

    public static TheoryData<string, string[]> Targets() => new()
    {
        { "ACME-GUARDDUTY-01", ["--target", "account-region", "--operation", "guardduty:ListDetectors"] },
        { "ACME-GUARDDUTY-02", ["--target", "account", "--operation", "guardduty:ListDetectors"] },
        { "ACME-GUARDDUTY-03", ["--target", "evidence", "--operation", "guardduty:ListDetectors"] },
        { "ACME-ORGANIZATIONS-01", ["--target", "organization", "--operation", "organizations:DescribeOrganization"] },
        { "ACME-ACCOUNT-01", ["--target", "account-region", "--operation", "account:ListRegions"] },
        { "ACME-ACCOUNT-02", ["--target", "evidence", "--operation", "account:ListRegions"] },
        { "ACME-KMS-01", ["--target", "account-region", "--operation", "kms:GetKeyRotationStatus"] },
        { "ACME-GUARDDUTY-04", ["--target", "organization", "--operation", "guardduty:DescribeOrganizationConfiguration"] },
        { "ACME-S3-01", ["--target", "resource", "--resource-type", "AWS::S3::Bucket"] },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_scaffold_compiles_and_its_cases_reach_pass_fail_and_insufficient_data(string id, string[] options)
    {
        var result = CliRunner.Run(["new", "rule", id, .. options, "--output", Pack]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        var rulePath = Path.Combine(Pack, id + ".yaml");
        Assert.Equal("# yaml-language-server: $schema=./.schemas/rule.schema.json", File.ReadLines(rulePath).First());
        Assert.True(File.Exists(Path.Combine(Pack, ".schemas", "rule.schema.json")));

        var validate = CliRunner.Run("validate", "--rules", "builtin", "--rules", Pack);
        Assert.True(validate.ExitCode == 0, validate.StandardError);
        Assert.True(validate.StandardError.Length == 0, validate.StandardError);
        Assert.EndsWith(" rules compiled, 0 errors, 0 warnings.\n", validate.StandardOutput, StringComparison.Ordinal);

        // The installed tool's own runner agrees: every scaffolded case passes with the shipped fixtures.
        var test = CliRunner.Run("test", Pack);
        Assert.True(test.ExitCode == 0, test.StandardOutput + test.StandardError);
        Assert.EndsWith("3 cases: 3 passed, 0 failed.\n", test.StandardOutput, StringComparison.Ordinal);

        var diagnostics = new List<Diagnostic>();
        var cases = RuleTestSuite.Load(Path.Combine(Pack, id + ".tests.yaml"), diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(
            ["pass", "fail", "insufficientData"],
            cases.Select(c => Assert.Single(c.Expect).Outcome.ToName()));
    }

    [Fact]
    public void Existing_files_are_never_overwritten()
    {
        string[] args = ["new", "rule", "ACME-GUARDDUTY-01", "--target", "account", "--operation", "guardduty:ListDetectors", "--output", Pack];
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        var tests = Path.Combine(Pack, "ACME-GUARDDUTY-01.tests.yaml");
        File.WriteAllText(tests, "rule: ACME-GUARDDUTY-01\ncases: []\n");
        File.Delete(Path.Combine(Pack, "ACME-GUARDDUTY-01.yaml"));
        var again = CliRunner.Run(args);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal(tests.Replace('\\', '/') + " already exists; nothing was written (new never overwrites a file).", again.StandardError.Trim()["error: ".Length..]);
        Assert.False(File.Exists(Path.Combine(Pack, "ACME-GUARDDUTY-01.yaml")));
        Assert.Equal("rule: ACME-GUARDDUTY-01\ncases: []\n", File.ReadAllText(tests));
        Assert.DoesNotContain(Directory.EnumerateFiles(Pack), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("acme-1", "guardduty:ListDetectors", ":2:5: error PE1006: Rule id 'acme-1' must look like SRA-GUARDDUTY-01")]
    [InlineData("SRA-GUARDDUTY-01", "guardduty:ListDetectors", ":2:5: error PE1004: Rule id 'SRA-GUARDDUTY-01' is already used at ")]
    [InlineData("ACME-GUARDDUTY-01", "guardduty:ListDetector", ":13:13: error PE1009: Operation 'guardduty:ListDetector' is not in the collection plan, so no snapshot can hold its evidence. Did you mean 'guardduty:ListDetectors'?")]
    public void A_bad_or_taken_id_or_an_unknown_operation_is_a_located_diagnostic_and_nothing_is_written(string id, string operation, string expected)
    {
        var result = CliRunner.Run("new", "rule", id, "--target", "account-region", "--operation", operation, "--output", Pack);
        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(Path.Combine(Pack, id + ".yaml").Replace('\\', '/') + expected, lines[0], StringComparison.Ordinal);
        Assert.Equal("Nothing was written.", lines[^1]);
        Assert.False(Directory.Exists(Pack));
    }

    [Fact]
    public void A_rule_in_a_sub_directory_points_at_the_pack_root_schemas()
    {
        var schemas = CliRunner.Run("schemas", "--output", Path.Combine(Pack, ".schemas"));
        Assert.Equal(0, schemas.ExitCode);
        var service = Path.Combine(Pack, "guardduty");
        Assert.Equal(0, CliRunner.Run("new", "rule", "ACME-GUARDDUTY-01", "--target", "account", "--operation", "guardduty:ListDetectors", "--output", service).ExitCode);
        Assert.Equal("# yaml-language-server: $schema=../.schemas/rule.schema.json", File.ReadLines(Path.Combine(service, "ACME-GUARDDUTY-01.yaml")).First());
        Assert.False(Directory.Exists(Path.Combine(service, ".schemas")));
    }

    [Theory]
    [InlineData("resource", "--operation", "guardduty:ListDetectors", "error: --target resource needs --resource-type")]
    [InlineData("account", "--resource-type", "AWS::S3::Bucket", "error: --target account needs --operation service:Operation")]
    public void Options_that_do_not_fit_the_target_are_usage_errors(string target, string option, string value, string expected)
    {
        var result = CliRunner.Run("new", "rule", "ACME-X-01", "--target", target, option, value, "--output", Pack);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith(expected, result.StandardError, StringComparison.Ordinal);
    }
}
