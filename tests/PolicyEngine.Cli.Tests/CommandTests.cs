using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary>End-to-end tests of the policy-engine commands on the bundled samples.</summary>
public sealed class CommandTests
{
    private static readonly string[] Formats = ["console", "json", "sarif", "sra-verify-csv"];

    public static TheoryData<string> FormatNames() => new(Formats);

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void Evaluate_on_the_gapped_sample_matches_its_golden_file(string format)
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", format, "--fail-on", "none");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        var extension = format switch { "console" => "txt", "sra-verify-csv" => "csv", _ => format };
        var stable = StableLocations.ForSnapshot(CliRunner.Sample("typical-gaps")).Rewrite(result.StandardOutput, format);
        Golden.AssertMatches($"typical-gaps.{extension}", stable);
    }

    [Fact]
    public void Evaluate_is_deterministic()
    {
        var first = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--format", "sarif", "--fail-on", "none");
        var second = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--format", "sarif", "--fail-on", "none");
        Assert.Equal(first.StandardOutput, second.StandardOutput);
    }

    [Fact]
    public void Sarif_from_evaluate_is_valid_sarif_2_1_0()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "sarif", "--fail-on", "none", "--include-passing");
        Assert.Equal(0, result.ExitCode);
        SarifSchema.AssertValid(result.StandardOutput);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        Assert.True(document.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength() > 0);
    }

    [Fact]
    public void Evaluate_exits_1_when_failures_reach_the_threshold_and_0_below_it()
    {
        Assert.Equal(1, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--fail-on", "high").ExitCode);
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--fail-on", "none").ExitCode);
    }

    [Theory]
    [InlineData("HIGH", 1)]
    [InlineData("High", 1)]
    [InlineData("NONE", 0)]
    public void Fail_on_accepts_any_case(string threshold, int exitCode)
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--fail-on", threshold);
        Assert.DoesNotContain("--fail-on", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(exitCode, result.ExitCode);
    }

    [Fact]
    public void Fail_on_an_unknown_word_is_a_usage_error_listing_the_words()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "severe");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("Argument 'severe' not recognized for --fail-on. Must be one of: informational, low, medium, high, critical, none (any case).", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Insufficient_data_fails_the_gate_unless_allowed()
    {
        var gated = CliRunner.Run("evaluate", "samples/partial-evidence.json", "--format", "json", "--fail-on", "critical");
        var allowed = CliRunner.Run("evaluate", "samples/partial-evidence.json", "--format", "json", "--fail-on", "critical", "--allow-insufficient-data");
        Assert.Equal(1, gated.ExitCode);
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public void Output_file_is_written_whole_and_no_temporary_file_is_left()
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-cli-");
        try
        {
            var path = Path.Combine(directory.FullName, "report.json");
            var result = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--format", "json", "--output", path, "--fail-on", "none");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(string.Empty, result.StandardOutput);
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(["report.json"], directory.GetFiles().Select(f => f.Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Validate_prints_five_diagnostics_for_five_mistakes()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "TestData", "five-mistakes.yaml");
        var result = CliRunner.Run("validate", "--rules", file);
        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Replace(file, "five-mistakes.yaml", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
        [
            "five-mistakes.yaml:6:11: error PE1005: Severity 'hgih' is not one of informational, low, medium, high, critical. Did you mean 'high'?",
            "five-mistakes.yaml:8:1: error PE1001: Unknown key 'colour' in a rule. Allowed keys: assert, category, description, differsFromSraVerify, enabledByDefault, extension, forEach, helpUri, id, inputs, message, operation, predicate, references, remediation, resourceType, scope, severity, tags, target, title, where.",
            "five-mistakes.yaml:10:14: error PE1009: Operation 'guardduty:ListDetector' is not in the collection plan, so no snapshot can hold its evidence. Did you mean 'guardduty:ListDetectors'?",
            "five-mistakes.yaml:12:31: error PE1008: JSONPath '$.DetectorIds[?@ ==' does not parse at character 20: Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found the end of the query",
            "five-mistakes.yaml:15:12: error PE1002: 'count' must be a whole number of at least 0, but it is 'many'.",
        ], lines);
        Assert.Equal("5 errors, 0 warnings.\n", result.StandardOutput);
    }

    [Fact]
    public void Validate_accepts_the_shipped_pack()
    {
        var result = CliRunner.Run("validate");
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+ rules compiled, 0 errors, 0 warnings\.\n$", result.StandardOutput);
    }

    [Fact]
    public void List_rules_shows_id_severity_service_scope_and_origin()
    {
        var result = CliRunner.Run("list-rules");
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("SRA-ORGANIZATIONS-01", StringComparison.Ordinal) && l.Contains("high", StringComparison.Ordinal)
            && l.Contains("Organizations", StringComparison.Ordinal) && l.Contains("sra-verify", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ rules \(157 sra-verify, 27 extension\); 0 disabled\.$", lines[^1]);
    }

    [Fact]
    public void A_snapshot_that_is_not_json_exits_2_with_a_located_message_and_no_stack_trace()
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-cli-");
        try
        {
            var path = Path.Combine(directory.FullName, "broken.json");
            File.WriteAllText(path, "{\n  \"formatVersion\": \"1.0\",\n  \"evidence\": [\n}\n");
            var result = CliRunner.Run("evaluate", path);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith(path + ":4:1: error PE4001: The snapshot is not valid JSON:", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Usage_errors_exit_3()
    {
        Assert.Equal(3, CliRunner.Run("evaluate").ExitCode);
        // An unknown --format is a located diagnostic (PE9004), exit 2: see ReportOutputTests.
        Assert.Equal(2, CliRunner.Run("evaluate", "samples/sra-aligned.json", "--format", "yaml").ExitCode);
        Assert.Equal(3, CliRunner.Run("frobnicate").ExitCode);
    }

    [Fact]
    public void A_missing_snapshot_file_exits_2()
    {
        var result = CliRunner.Run("evaluate", "does-not-exist.json");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("does-not-exist.json: error PE4004: Cannot read the snapshot:", result.StandardError, StringComparison.Ordinal);
    }
}
