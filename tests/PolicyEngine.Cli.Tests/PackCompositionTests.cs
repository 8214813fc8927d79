namespace PolicyEngine.Cli.Tests;

/// <summary>
/// A team's pack composed with the shipped one (<c>--rules builtin --rules ./acme</c>), and <c>list-rules</c>'s origin,
/// effective severity and enablement.
/// </summary>
public sealed class PackCompositionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-packs-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Acme => Path.Combine(_dir.FullName, "acme");

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A custom rule as a team writes it: no references to SRA Verify, no extension flag.</summary>
    private static string CustomRule(string id) => $"""
        id: {id}
        title: Every governed region has a GuardDuty detector
        message: "{"{account}"} has no GuardDuty detector in {"{region}"}."
        category: Acme
        severity: medium
        target: account-region
        inputs:
          detectors: guardduty:ListDetectors
        assert:
          - path: $.DetectorIds
            notEmpty: true
        """;

    private static int CompiledCount(CliRunner.Result result)
    {
        var words = result.StandardOutput.Split(' ');
        Assert.Equal(words[0] == "1" ? "rule" : "rules", words[1]);
        return int.Parse(words[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Builtin_adds_a_team_pack_to_the_shipped_one_on_validate_evaluate_and_list_rules()
    {
        Write("acme/ACME-GUARDDUTY-01.yaml", CustomRule("ACME-GUARDDUTY-01"));
        var shipped = CliRunner.Run("validate");
        var composed = CliRunner.Run("validate", "--rules", "builtin", "--rules", Acme);
        Assert.Equal(0, composed.ExitCode);
        Assert.Equal(CompiledCount(shipped) + 1, CompiledCount(composed));
        Assert.Equal(1, CompiledCount(CliRunner.Run("validate", "--rules", Acme)));

        var evaluate = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--rules", "builtin", "--rules", Acme, "--format", "json", "--fail-on", "none");
        Assert.Equal(0, evaluate.ExitCode);
        Assert.Contains("\"id\": \"ACME-GUARDDUTY-01\"", evaluate.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"id\": \"SRA-GUARDDUTY-01\"", evaluate.StandardOutput, StringComparison.Ordinal);

        var list = CliRunner.Run("list-rules", "--rules", "builtin", "--rules", Acme);
        Assert.Equal(0, list.ExitCode);
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ACME-GUARDDUTY-01 +medium +yes +Acme +all accounts +custom +Every governed region has a GuardDuty detector$",
            Assert.Single(lines, l => l.StartsWith("ACME-", StringComparison.Ordinal)));
        Assert.Matches(@"^\d+ rules \(\d+ sra-verify, \d+ extension, 1 custom\); 0 disabled\.$", lines[^1]);
    }

    [Fact]
    public void A_rule_id_the_shipped_pack_already_uses_is_a_located_PE1004()
    {
        var mine = Write("acme/guardduty/SRA-GUARDDUTY-01.yaml", CustomRule("SRA-GUARDDUTY-01"));
        var result = CliRunner.Run("validate", "--rules", "builtin", "--rules", Acme);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(" error ", StringComparison.Ordinal));
        Assert.Matches(
            "^" + System.Text.RegularExpressions.Regex.Escape(mine.Replace('\\', '/') + ":1:5: error PE1004: Rule id 'SRA-GUARDDUTY-01' is already used at ")
            + @".*policies/aws-sra/guardduty/SRA-GUARDDUTY-01\.yaml:2:5; every rule needs its own id\.$",
            line);
    }

    [Fact]
    public void Builtin_twice_is_the_shipped_pack_once_and_a_path_ending_in_builtin_is_a_directory()
    {
        Assert.Equal(CompiledCount(CliRunner.Run("validate")), CompiledCount(CliRunner.Run("validate", "--rules", "builtin", "--rules", "builtin")));
        var local = Write("builtin/ACME-GUARDDUTY-02.yaml", CustomRule("ACME-GUARDDUTY-02"));
        Assert.Equal(1, CompiledCount(CliRunner.Run("validate", "--rules", Path.GetDirectoryName(local)!)));
    }

    [Fact]
    public void List_rules_shows_the_effective_severity_and_enablement_under_a_configuration()
    {
        Write("acme/ACME-GUARDDUTY-01.yaml", CustomRule("ACME-GUARDDUTY-01"));
        var config = Write("policy.yaml", """
            rules:
              ACME-GUARDDUTY-01: { severity: critical }
              SRA-GUARDDUTY-01: { enabled: false }
            categories:
              Shield: { severity: low }
            """);
        var result = CliRunner.Run("list-rules", "--rules", "builtin", "--rules", Acme, "--config", config);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("PE500", result.StandardError, StringComparison.Ordinal);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID +SEVERITY +ENABLED +SERVICE +ACCOUNT SCOPE +ORIGIN +TITLE$", lines[0]);
        Assert.Matches(@"^ACME-GUARDDUTY-01 +critical \(was medium\) +yes +Acme +all accounts +custom +", Assert.Single(lines, l => l.StartsWith("ACME-GUARDDUTY-01 ", StringComparison.Ordinal)));
        Assert.Matches(@"^SRA-GUARDDUTY-01 +high +no +GuardDuty +.* +sra-verify +", Assert.Single(lines, l => l.StartsWith("SRA-GUARDDUTY-01 ", StringComparison.Ordinal)));
        Assert.Matches(@"^SRA-SHIELD-01 +low \(was \w+\) +yes +Shield +", Assert.Single(lines, l => l.StartsWith("SRA-SHIELD-01 ", StringComparison.Ordinal)));
        Assert.Matches(@"; 1 disabled\.$", lines[^1]);
    }
}
