using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Cli.Tests;

/// <summary><c>import</c> and <c>evaluate</c> on AWS Config data: the real RDK configuration items, a small resource rule pack.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private static readonly string TestData = Path.Combine(AppContext.BaseDirectory, "TestData");
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-import-");
    private readonly DirectoryInfo _rulesDir = Directory.CreateTempSubdirectory("policy-engine-cli-rules-");

    public ImportCommandTests()
    {
        // RuleCompiler skips every path containing "/tests/" (rule test files), which includes this test's output
        // directory: the pack is copied out first.
        foreach (var rule in Directory.GetFiles(Path.Combine(TestData, "rules"), "*.yaml"))
        {
            File.Copy(rule, Path.Combine(_rulesDir.FullName, Path.GetFileName(rule)));
        }
    }

    private string Rules => _rulesDir.FullName;

    public void Dispose()
    {
        _dir.Delete(recursive: true);
        _rulesDir.Delete(recursive: true);
    }

    /// <summary>A Config snapshot file as AWS Config delivers it to S3, gzip-compressed, holding the RDK items.</summary>
    private string ConfigSnapshot()
    {
        var items = new JsonArray();
        foreach (var name in new[] { "AWS_S3_Bucket.json", "AWS_Cloudtrail_Trail.json", "AWS_IAM_User.json" })
        {
            items.Add(JsonNode.Parse(File.ReadAllText(Path.Combine(TestData, "aws-config-items", name))));
        }

        var json = new JsonObject { ["fileVersion"] = "1.0", ["configSnapshotId"] = "00000000-0000-0000-0000-000000000000", ["configurationItems"] = items };
        var path = Path.Combine(_dir.FullName, "123456789012_Config_us-east-1_ConfigSnapshot_20260101T000000Z_0.json.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json.ToJsonString()));
        }

        return path;
    }

    private static string[] Findings(string json) =>
    [
        .. JsonDocument.Parse(json).RootElement.GetProperty("findings").EnumerateArray().Select(f =>
            $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("outcome").GetString()} " +
            $"{Optional(f.GetProperty("subject"), "account")} {Optional(f.GetProperty("subject"), "region")} {Optional(f.GetProperty("subject"), "resource")}"),
    ];

    private static string Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "-" : "-";

    private static readonly string[] ExpectedFindings =
    [
        "CLITEST-CLOUDTRAIL-01 pass 212591712841 ap-southeast-1 arn:aws:cloudtrail:ap-southeast-1:123456789012:trail/APJCCloudTrail",
        "CLITEST-KMS-01 notApplicable - global organization",
        "CLITEST-S3-01 pass 934654633380 us-east-1 arn:aws:s3:::mborch-test-bucket-config-item",
        "CLITEST-S3-02 fail 934654633380 us-east-1 arn:aws:s3:::mborch-test-bucket-config-item",
    ];

    [Fact]
    public void Import_writes_a_snapshot_that_evaluates_to_exact_findings()
    {
        var output = Path.Combine(_dir.FullName, "out", "snapshot.json");
        var import = CliRunner.Run("import", ConfigSnapshot(), "--output", output);
        Assert.True(import.ExitCode == 0, import.StandardError);
        Assert.Equal(string.Empty, import.StandardError);
        Assert.StartsWith("Wrote ", import.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(": 3 configuration items from 1 file.", import.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["snapshot.json"], new DirectoryInfo(Path.GetDirectoryName(output)!).GetFiles().Select(f => f.Name));

        var evaluate = CliRunner.Run("evaluate", output, "--rules", Rules, "--format", "json", "--include-passing", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Equal(string.Empty, evaluate.StandardError);
        // CLITEST-S3-01 passes only because the import decoded the JSON-encoded bucket policy text.
        Assert.Equal(ExpectedFindings, Findings(evaluate.StandardOutput));

        // The failing finding gates at its severity (low) and not above it.
        Assert.Equal(1, CliRunner.Run("evaluate", output, "--rules", Rules, "--format", "json", "--fail-on", "low").ExitCode);
        Assert.Equal(0, CliRunner.Run("evaluate", output, "--rules", Rules, "--format", "json", "--fail-on", "medium").ExitCode);
    }

    [Fact]
    public void Evaluate_accepts_a_config_snapshot_file_directly()
    {
        var config = ConfigSnapshot();
        var evaluate = CliRunner.Run("evaluate", config, "--rules", Rules, "--format", "json", "--include-passing", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Equal(string.Empty, evaluate.StandardError);
        Assert.Equal(ExpectedFindings, Findings(evaluate.StandardOutput));
        Assert.Equal(["123456789012_Config_us-east-1_ConfigSnapshot_20260101T000000Z_0.json.gz"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void The_sra_pack_on_an_import_without_organization_data_gives_insufficient_data_never_pass()
    {
        var output = Path.Combine(_dir.FullName, "snapshot.json");
        Assert.Equal(0, CliRunner.Run("import", ConfigSnapshot(), "--output", output).ExitCode);
        var evaluate = CliRunner.Run("evaluate", output, "--format", "json", "--include-passing", "--fail-on", "none");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Equal(string.Empty, evaluate.StandardError);
        var outcomes = JsonDocument.Parse(evaluate.StandardOutput).RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("ruleId").GetString()!, Outcome: f.GetProperty("outcome").GetString()!)).ToList();
        Assert.NotEmpty(outcomes);
        Assert.DoesNotContain(outcomes, o => o.Outcome is "pass" or "error");
        // Every rule that needs the organization (all but resource-targeted ones) says InsufficientData.
        Assert.Contains(outcomes, o => o.Rule == "SRA-ORGANIZATIONS-01" && o.Outcome == "insufficientData");
        Assert.True(outcomes.Count(o => o.Outcome == "insufficientData") > outcomes.Count / 2);

        // Without --allow-insufficient-data the missing evidence fails the gate.
        Assert.Equal(1, CliRunner.Run("evaluate", output, "--format", "json", "--fail-on", "informational").ExitCode);
    }

    [Fact]
    public void Import_errors_exit_2_one_line_per_problem_and_write_nothing()
    {
        var notConfig = Path.Combine(_dir.FullName, "hello.json");
        File.WriteAllText(notConfig, "{\"hello\":1}");
        var missing1 = Path.Combine(_dir.FullName, "missing-1.json");
        var missing2 = Path.Combine(_dir.FullName, "missing-2.json");
        var output = Path.Combine(_dir.FullName, "out.json");

        var unreadable = CliRunner.Run("import", missing1, notConfig, missing2, "--output", output);
        Assert.Equal(2, unreadable.ExitCode);
        var lines = unreadable.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(missing1 + ": error PE4004: Cannot read the input:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(missing2 + ": error PE4004: Cannot read the input:", lines[1], StringComparison.Ordinal);

        var wrongShape = CliRunner.Run("import", notConfig, "--output", output);
        Assert.Equal(2, wrongShape.ExitCode);
        Assert.Equal(notConfig + ": error PE4003: Cannot import: not a Config snapshot, query result or configuration item\n", wrongShape.StandardError);

        var notJson = Path.Combine(_dir.FullName, "broken.json");
        File.WriteAllText(notJson, "{\"configurationItems\": [");
        var broken = CliRunner.Run("import", notJson, "--output", output);
        Assert.Equal(2, broken.ExitCode);
        Assert.StartsWith(notJson + ": error PE4003: Cannot import: not JSON:", Assert.Single(broken.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        foreach (var result in new[] { unreadable, wrongShape, broken })
        {
            Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
            Assert.Equal(string.Empty, result.StandardOutput);
        }

        Assert.False(File.Exists(output));
        Assert.Equal(new[] { "broken.json", "hello.json" }, _dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(3, CliRunner.Run("import", notConfig).ExitCode); // --output is required
    }
}
