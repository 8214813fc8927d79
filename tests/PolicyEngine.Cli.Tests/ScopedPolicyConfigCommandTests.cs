using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// The policy configuration's OU suppressions with owners, scoped severity and expired suppressions, seen from the
/// command line on the typical-gaps sample (its production accounts 444444444444 and 666666666666 are in Root/Prod).
/// </summary>
public sealed class ScopedPolicyConfigCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-scoped-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Config() => Write("policy.yaml", """
        rules:
          SRA-AUDITMANAGER-01:
            scopes:
              - { ous: Root/Prod, severity: critical }
              - { ous: Root/Prod, regions: us-east-1, severity: low }
        suppressions:
          - rule: SRA-BEDROCK-01
            ous: root/prod
            owner: ml-platform
            justification: Bedrock is not used in production accounts.
          - rule: SRA-ACCESSANALYZER-01
            accounts: ["444444444444"]
            justification: Analyzer rollout finished in November.
            expires: 2026-11-01
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Evaluate_reports_scoped_severities_and_owned_ou_suppressions_and_warns_of_the_expired_one()
    {
        var config = Config();
        var report = Path.Combine(_dir.FullName, "report.json");
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--config", config, "--rule", "SRA-AUDITMANAGER-01", "--rule", "SRA-BEDROCK-01",
            "--format", "json=" + report, "--fail-on", "none");
        Assert.Equal(0, result.ExitCode);
        // The evaluation date is the snapshot's collection date, 2026-11-30.
        Assert.Equal(
            config + ":14:14: warning PE9045: The suppression of SRA-ACCESSANALYZER-01 expired on 2026-11-01, before the evaluation date 2026-11-30: its findings are reported and gate again. Set a later 'expires' if the risk is still accepted, or remove the suppression.\n",
            result.StandardError);
        using var document = JsonDocument.Parse(File.ReadAllText(report));
        var shown = document.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("subject").GetProperty("account").GetString() is "444444444444" or "666666666666" or "777777777777")
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("subject").GetProperty("account").GetString()} {f.GetProperty("subject").GetProperty("region").GetString()} "
                + $"{f.GetProperty("severity").GetString()}"
                + (f.TryGetProperty("suppression", out var s) ? $" {s.GetProperty("owner").GetString()}: {s.GetProperty("justification").GetString()} @ {s.GetProperty("source").GetString()}" : string.Empty));
        Assert.Equal(
            [
                "SRA-AUDITMANAGER-01 444444444444 eu-west-1 critical",
                "SRA-AUDITMANAGER-01 444444444444 us-east-1 low",
                "SRA-AUDITMANAGER-01 666666666666 eu-west-1 critical",
                "SRA-AUDITMANAGER-01 666666666666 us-east-1 low",
                "SRA-AUDITMANAGER-01 777777777777 eu-west-1 medium",
                "SRA-AUDITMANAGER-01 777777777777 us-east-1 medium",
                $"SRA-BEDROCK-01 444444444444 eu-west-1 medium ml-platform: Bedrock is not used in production accounts. @ {config}:7:5",
                $"SRA-BEDROCK-01 666666666666 eu-west-1 medium ml-platform: Bedrock is not used in production accounts. @ {config}:7:5",
                $"SRA-BEDROCK-01 666666666666 us-east-1 medium ml-platform: Bedrock is not used in production accounts. @ {config}:7:5",
                "SRA-BEDROCK-01 777777777777 eu-west-1 medium",
                "SRA-BEDROCK-01 777777777777 us-east-1 medium",
            ],
            shown);
    }

    [Theory]
    [InlineData("critical")]
    [InlineData("CRITICAL")]
    [InlineData("Critical")]
    public void Fail_on_any_case_gates_on_the_scoped_severity(string threshold)
    {
        // Without the configuration SRA-AUDITMANAGER-01 is medium everywhere; the production OU makes two findings critical.
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rule", "SRA-AUDITMANAGER-01", "--format", "json", "--fail-on", threshold).ExitCode);
        Assert.Equal(1, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--config", Config(), "--rule", "SRA-AUDITMANAGER-01", "--format", "json", "--fail-on", threshold).ExitCode);
        // The --severity filter reads the same effective severity.
        var critical = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--config", Config(), "--rule", "SRA-AUDITMANAGER-01", "--severity", threshold, "--format", "json", "--fail-on", "none");
        using var document = JsonDocument.Parse(critical.StandardOutput);
        Assert.Equal(
            ["444444444444 eu-west-1", "666666666666 eu-west-1"],
            document.RootElement.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("subject").GetProperty("account").GetString()} {f.GetProperty("subject").GetProperty("region").GetString()}"));
    }

    [Theory]
    [InlineData("High")]
    [InlineData("HIGH")]
    [InlineData("high")]
    public void Diff_fail_on_new_is_case_insensitive(string threshold)
    {
        // Regression: diff accepted only all-lower or all-upper words, so "High" was a usage error (exit 3).
        var report = Path.Combine(_dir.FullName, "report.json");
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rule", "SRA-AUDITMANAGER-01", "--format", "json=" + report, "--fail-on", "none").ExitCode);
        var same = CliRunner.Run("diff", report, report, "--fail-on-new", threshold);
        Assert.True(same.ExitCode == 0, same.StandardError);
        var bad = CliRunner.Run("diff", report, report, "--fail-on-new", "severe");
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("Argument 'severe' not recognized for --fail-on-new. Must be one of: informational, low, medium, high, critical (any case).", bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void List_rules_marks_the_rules_whose_severity_is_scoped()
    {
        var result = CliRunner.Run("list-rules", "--config", Config());
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.Matches(@"^SRA-AUDITMANAGER-01 +medium \+ scopes +yes +AuditManager ", Assert.Single(lines, l => l.StartsWith("SRA-AUDITMANAGER-01 ", StringComparison.Ordinal)));
        Assert.DoesNotContain("+ scopes", Assert.Single(lines, l => l.StartsWith("SRA-AUDITMANAGER-02 ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_config_lists_expired_suppressions_as_of_a_date()
    {
        var config = Config();
        var expired = CliRunner.Run("validate", "--config", config, "--as-of", "2026-12-01");
        Assert.Equal(0, expired.ExitCode);
        Assert.Equal(
            [config + ":14:14: warning PE9045: The suppression of SRA-ACCESSANALYZER-01 expired on 2026-11-01, before the evaluation date 2026-12-01: its findings are reported and gate again. Set a later 'expires' if the risk is still accepted, or remove the suppression."],
            expired.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(config, StringComparison.Ordinal)));
        var current = CliRunner.Run("validate", "--config", config, "--as-of", "2026-11-01");
        Assert.DoesNotContain("PE9045", current.StandardError, StringComparison.Ordinal);
        var bad = CliRunner.Run("validate", "--config", config, "--as-of", "01/12/2026");
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("--as-of '01/12/2026' is not a date like 2027-01-31.", bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_mistakes_stop_evaluate_with_located_diagnostics()
    {
        var config = Write("broken.yaml", """
            suppressions:
              - rule: SRA-S3-01
                ous: Root/*/Prod
                accountTags: { environment: }
                resources: "arn:aws:s3:::logs-[0-9]"
                owner: [alice, bob]
                justification: x
            """);
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--config", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                $"{config}:3:10: error PE9041",
                $"{config}:4:33: error PE9043",
                $"{config}:5:16: error PE9040",
                $"{config}:6:12: error PE9042",
            ],
            result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..(l.IndexOf(": ", l.IndexOf(" error ", StringComparison.Ordinal), StringComparison.Ordinal))]));
    }
}
