using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary><c>validate --format sarif</c>, and the policy configuration's sandbox limits on the command line.</summary>
public sealed class ValidateAndConfigTests : IDisposable
{
    private static readonly string FiveMistakes = Path.Combine(AppContext.BaseDirectory, "TestData", "five-mistakes.yaml");
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Validate_format_sarif_writes_every_diagnostic_as_valid_sarif_2_1_0()
    {
        var result = CliRunner.Run("validate", "--rules", FiveMistakes, "--format", "sarif");
        Assert.Equal(2, result.ExitCode);
        SarifSchema.AssertValid(result.StandardOutput);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["PE1005", "PE1001", "PE1009", "PE1008", "PE1002"], results.Select(r => r.GetProperty("ruleId").GetString()));
        Assert.All(results, r => Assert.Equal("error", r.GetProperty("level").GetString()));
        var region = results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(6, region.GetProperty("startLine").GetInt32());
        Assert.Equal(11, region.GetProperty("startColumn").GetInt32());
        // The text lines still go to standard error; standard output is only the SARIF log.
        Assert.Equal(5, result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Validate_format_sarif_of_a_clean_pack_is_valid_and_empty_and_can_go_to_a_file()
    {
        var path = Path.Combine(_dir.FullName, "validate.sarif");
        var result = CliRunner.Run("validate", "--format", "sarif", "--output", path);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
        var sarif = File.ReadAllText(path);
        SarifSchema.AssertValid(sarif);
        using var document = JsonDocument.Parse(sarif);
        Assert.Equal(0, document.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
        Assert.Equal(["validate.sarif"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Validate_config_counts_its_warnings_located_with_the_nearest_rule_ids()
    {
        // Regression: PE5003 was printed by evaluate only, without line:col, and validate summed "0 warning(s)".
        var config = Write("policy.yaml", """
            rules:
              SRA-GUARDDUTY-1: { severity: low }
            categories:
              GuardDutty: { enabled: false }
            suppressions:
              - rule: SRA-CLOUDTRAL-01
                justification: Accepted by the security team.
            """);
        var result = CliRunner.Run("validate", "--config", config);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                config + ":2:3: warning PE5003: Configuration names rule 'SRA-GUARDDUTY-1', which the rule pack does not have; remove the entry or fix the id. Did you mean 'SRA-GUARDDUTY-01', 'SRA-GUARDDUTY-10' or 'SRA-GUARDDUTY-11'?",
                config + ":4:3: warning PE5004: Configuration names category 'GuardDutty', which no rule of the pack has; remove the entry or fix the name. Did you mean 'GuardDuty'?",
                config + ":6:11: warning PE5003: Configuration names rule 'SRA-CLOUDTRAL-01', which the rule pack does not have; remove the entry or fix the id. Did you mean 'SRA-CLOUDTRAIL-01'?",
            ],
            result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(config, StringComparison.Ordinal)));
        var shippedWarnings = CliRunner.Run("validate").StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Matches($@"^\d+ rules compiled, 0 errors, {3 + shippedWarnings} warnings\.\n$", result.StandardOutput);
    }

    [Fact]
    public void Out_of_range_sandbox_options_exit_2_with_located_PE2103_lines()
    {
        var config = Write("policy.yaml", "sandbox:\n  timeoutMs: 0\n  maxSourceLength: 8\n");
        foreach (var args in new[] { new[] { "evaluate", "samples/sra-aligned.json", "--config", config }, ["validate", "--config", config] })
        {
            var result = CliRunner.Run(args);
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(
            [
                config + ":2:14: error PE2103: Sandbox option 'timeoutMs' must be between 1 and 60000, but it is 0.",
                config + ":3:20: error PE2103: Sandbox option 'maxSourceLength' must be between 16 and 1048576, but it is 8.",
            ], result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public void Sandbox_options_from_the_configuration_reach_the_compiler()
    {
        // The shipped pack has predicates longer than 200 characters: with that limit they are PE2102 at compile time.
        var config = Write("policy.yaml", "sandbox:\n  maxSourceLength: 200\n");
        var result = CliRunner.Run("validate", "--config", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error PE2102:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("maxSourceLength is 200", result.StandardError, StringComparison.Ordinal);

        var generous = Write("generous.yaml", "sandbox:\n  timeoutMs: 10000\n  maxStatements: 10000000\n");
        var ok = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--config", generous, "--format", "json", "--fail-on", "none");
        Assert.True(ok.ExitCode == 0, ok.StandardError);
        Assert.Equal(string.Empty, ok.StandardError);
    }
}
