using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// Plays a contributor who follows CONTRIBUTING.md to add an SRA extension rule that reads an AWS call the plan does not
/// make yet: a plan entry, the rule, its test cases and its sample evidence, all YAML and JSON, no C#. The parts of a
/// clone the walkthrough touches are copied to a temporary directory, so the repository is left alone.
/// </summary>
public sealed class ContributorWorkflowTests : IDisposable
{
    private const string RuleId = "SRA-IAM-90";

    private readonly DirectoryInfo _clone = Directory.CreateTempSubdirectory("policy-engine-contributor-");

    public void Dispose() => _clone.Delete(recursive: true);

    private string At(params string[] parts) => Path.Combine([_clone.FullName, .. parts]);

    /// <summary>Step 1 of "Adding a data source": the plan entry. The file's service model types the query (XML) answer.</summary>
    private const string PlanEntry =
        "  - operation: GetAccountPasswordPolicy\n" +
        "    scope: account\n" +
        "    description: the account password policy (NoSuchEntity when the account has none)\n";

    private const string Rule = """
        # yaml-language-server: $schema=../../../schemas/rule.schema.json
        id: SRA-IAM-90
        title: The account password policy requires passwords of at least 14 characters
        message: "The password policy of account {account} ({accountName}) allows passwords shorter than 14 characters."
        category: IAM
        severity: medium
        description: >
          IAM users' console passwords follow the account password policy; a minimum length of 14 characters is the
          CIS AWS Foundations recommendation.
        remediation: >
          Run aws iam update-account-password-policy --minimum-password-length 14 in the account.
        helpUri: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
        tags: [iam, passwords]
        extension: true
        differsFromSraVerify: SRA Verify does not check the password policy.
        target: account
        inputs:
          policy:
            operation: iam:GetAccountPasswordPolicy
            errors:
              NoSuchEntity: fail
        assert:
          - path: $.PasswordPolicy.MinimumPasswordLength
            greaterOrEqual: 14
            message: the minimum password length is below 14
        """;

    private const string RuleTests = """
        # yaml-language-server: $schema=../../../schemas/rule-tests.schema.json
        rule: SRA-IAM-90
        cases:
          - name: "14 characters or more everywhere"
            evidence:
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "111111111111", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "222222222222", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 20}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "333333333333", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "444444444444", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 16}}}
            expect:
              - {"outcome": "pass", "account": "111111111111"}
              - {"outcome": "pass", "account": "222222222222"}
              - {"outcome": "pass", "account": "333333333333"}
              - {"outcome": "pass", "account": "444444444444"}
          - name: "too short in one account and no policy in another"
            evidence:
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "111111111111", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "222222222222", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "333333333333", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 8}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "444444444444", "region": "global", "status": "error", "error": {"code": "NoSuchEntity", "message": "The Password Policy with domain name 444444444444 cannot be found."}}
            expect:
              - {"outcome": "pass", "account": "111111111111"}
              - {"outcome": "pass", "account": "222222222222"}
              - {"outcome": "fail", "account": "333333333333"}
              - {"outcome": "fail", "account": "444444444444"}
          - name: "access denied is insufficient data"
            evidence:
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "111111111111", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "222222222222", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "333333333333", "region": "global", "status": "ok", "response": {"PasswordPolicy": {"MinimumPasswordLength": 14}}}
              - {"service": "iam", "operation": "GetAccountPasswordPolicy", "account": "444444444444", "region": "global", "status": "error", "error": {"code": "AccessDenied", "message": "simulated AccessDenied"}}
            expect:
              - {"outcome": "pass", "account": "111111111111"}
              - {"outcome": "pass", "account": "222222222222"}
              - {"outcome": "pass", "account": "333333333333"}
              - {"outcome": "insufficientData", "account": "444444444444"}
        """;

    [Fact]
    public void A_rule_reading_a_new_plan_operation_is_added_validated_tested_and_sampled_without_csharp()
    {
        CopyFromRepository("policies");
        CopyFromRepository("collectors");
        CopyFromRepository("schemas");
        CopyFromRepository(Path.Combine("samples", "fragments", "typical-gaps"));
        var pack = At("policies", "aws-sra");
        var collectors = At("collectors");
        var baseline = CliRunner.Run("validate", "--rules", pack, "--collectors", collectors);
        Assert.True(baseline.ExitCode == 0, baseline.StandardError);
        Assert.EndsWith(" rules compiled, 0 errors, 0 warnings.\n", baseline.StandardOutput, StringComparison.Ordinal);

        // 1. The plan entry; 2. the rule and its test cases.
        File.AppendAllText(At("collectors", "iam.yaml"), PlanEntry);
        Directory.CreateDirectory(At("policies", "aws-sra", "iam"));
        var ruleFile = At("policies", "aws-sra", "iam", RuleId + ".yaml");
        File.WriteAllText(ruleFile, Rule.ReplaceLineEndings("\n") + "\n");
        File.WriteAllText(At("policies", "aws-sra", "iam", RuleId + ".tests.yaml"), RuleTests.ReplaceLineEndings("\n") + "\n");

        // The collector file names the IAM model, which types the query answer's numbers: the pack compiles as cleanly as before.
        var typed = CliRunner.Run("validate", "--rules", pack, "--collectors", collectors);
        Assert.Equal((0, baseline.StandardError), (typed.ExitCode, typed.StandardError));
        Assert.Equal($"{Compiled(baseline.StandardOutput) + 1} rules compiled, 0 errors, 0 warnings.\n", typed.StandardOutput);

        // 3. The rule's test cases, with the rest of the pack's, through the one runner; coverage reaches every outcome.
        var tests = CliRunner.Run("test", pack, "--collectors", collectors);
        Assert.True(tests.ExitCode == 0, tests.StandardOutput + tests.StandardError);
        Assert.Equal(
            [
                $"PASS {RuleId} :: 14 characters or more everywhere",
                $"PASS {RuleId} :: too short in one account and no policy in another",
                $"PASS {RuleId} :: access denied is insufficient data",
            ],
            tests.StandardOutput.Split('\n').Where(l => l.Contains(RuleId, StringComparison.Ordinal)));
        Assert.EndsWith(" 0 failed.\n", tests.StandardOutput, StringComparison.Ordinal);
        var coverage = CliRunner.Run("test", At("policies", "aws-sra", "iam"), "--collectors", collectors, "--coverage");
        Assert.True(coverage.ExitCode == 0, coverage.StandardOutput + coverage.StandardError);
        Assert.Equal($"""
            PASS {RuleId} :: 14 characters or more everywhere
            PASS {RuleId} :: too short in one account and no policy in another
            PASS {RuleId} :: access denied is insufficient data
            1 test file, 3 cases: 3 passed, 0 failed.

            Coverage: the outcomes each rule's cases reach, and the conditions no case decided both ways.
            RULE        CASES  pass  fail  insufficientData  notApplicable  error
            {RuleId}      3  yes   yes   yes               -              -
            1 rule: 1 with tests, 1 reach pass, fail and insufficientData; 1 condition, 0 never true, 0 never false.

            """.ReplaceLineEndings("\n"), coverage.StandardOutput);

        // 4. Sample evidence from the plan: every account of the sample, the response the only hand-written part.
        var fragments = At("samples", "fragments", "typical-gaps");
        var fragment = Path.Combine(fragments, "iam.json");
        var everyAccount = CliRunner.Run("sample-evidence", "iam:GetAccountPasswordPolicy", "--collectors", collectors, "--sample", fragments,
            "--into", fragment, "--response", """{"PasswordPolicy": {"MinimumPasswordLength": 14, "RequireSymbols": true}}""");
        Assert.True(everyAccount.ExitCode == 0, everyAccount.StandardError);
        var noPolicy = CliRunner.Run("sample-evidence", "iam:GetAccountPasswordPolicy", "--collectors", collectors, "--sample", fragments,
            "--into", fragment, "--account", "444444444444", "--error", "NoSuchEntity",
            "--error-message", "The Password Policy with domain name 444444444444 cannot be found.");
        Assert.True(noPolicy.ExitCode == 0, noPolicy.StandardError);
        using var records = JsonDocument.Parse(File.ReadAllText(fragment));
        Assert.Equal(
            Accounts(fragments).Select(a => a == "444444444444" ? $"{a} error NoSuchEntity" : $"{a} ok 14"),
            records.RootElement.EnumerateArray().Select(r => r.GetProperty("account").GetString() + " " + r.GetProperty("status").GetString() + " " +
                (r.TryGetProperty("response", out var response)
                    ? response.GetProperty("PasswordPolicy").GetProperty("MinimumPasswordLength").GetRawText()
                    : r.GetProperty("error").GetProperty("code").GetString())));
        Assert.All(records.RootElement.EnumerateArray(), r => Assert.Equal("global", r.GetProperty("region").GetString()));
    }

    private void CopyFromRepository(string relative)
    {
        var source = Path.Combine(CliRunner.RepoRoot, relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_clone.FullName, relative, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>N of validate's "N rules compiled, ..." summary.</summary>
    private static int Compiled(string summary) => int.Parse(summary.AsSpan(0, summary.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The active accounts of a sample, from its base fragment, in id order.</summary>
    private static IEnumerable<string> Accounts(string fragments)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(fragments, "base.json")));
        return document.RootElement.GetProperty("organization").GetProperty("accounts").EnumerateArray()
            .Where(a => a.GetProperty("State").GetString() == "ACTIVE")
            .Select(a => a.GetProperty("Id").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
