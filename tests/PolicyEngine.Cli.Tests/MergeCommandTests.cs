using System.Reflection;
using PolicyEngine.Core.Sharding;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>evaluate --shard</c> and <c>merge</c> as a user runs them: shard reports written to files, merged in any order
/// into the unsharded report; every way the inputs can fail to be one run is a PE91xx diagnostic and exit 2.
/// </summary>
public sealed class MergeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("policy-engine-merge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name) => Path.Combine(_directory, name);

    /// <summary>Writes shard INDEX/COUNT of a sample as a JSON shard report and returns its path.</summary>
    private string Shard(int index, int count, string sample = "typical-gaps", params string[] extra)
    {
        var path = File($"{sample}.{index}-of-{count}.json");
        var result = CliRunner.Run(["evaluate", $"samples/{sample}.json", "--shard", $"{index}/{count}", "--format", "json", "--fail-on", "none", "-o", path, .. extra]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return path;
    }

    [Fact]
    public void Three_shard_reports_merged_in_any_order_are_the_unsharded_report_in_json_and_sarif()
    {
        var shards = new[] { Shard(2, 3), Shard(0, 3), Shard(1, 3) };
        foreach (var format in new[] { "json", "sarif" })
        {
            var whole = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", format, "--fail-on", "none");
            var merged = CliRunner.Run(["merge", .. shards, "--format", format]);
            Assert.Equal(0, merged.ExitCode);
            Assert.Equal(string.Empty, merged.StandardError);
            Assert.Equal(whole.StandardOutput, merged.StandardOutput);
        }
    }

    [Fact]
    public void Merge_gates_like_evaluate_when_asked()
    {
        var merged = CliRunner.Run("merge", Shard(0, 1), "--format", "console", "--fail-on", "high");
        Assert.Equal(1, merged.ExitCode);
        Assert.StartsWith("policy-engine ", merged.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [CoversShard(ShardDiagnosticCodes.InvalidShard)]
    [InlineData("3/3", "error PE9100: --shard '3/3': the index counts from 0, so it must be below the count 3 (the last of 3 shards is 2/3)\n")]
    [InlineData("0/0", "error PE9100: --shard '0/0': the count must be between 1 and 10000\n")]
    [InlineData("first", "error PE9100: --shard 'first' is not a shard: write INDEX/COUNT with whole numbers, INDEX counted from 0 (e.g. 0/8 is the first of 8 shards)\n")]
    [InlineData("-1/4", "error PE9100: --shard '-1/4' is not a shard: write INDEX/COUNT with whole numbers, INDEX counted from 0 (e.g. 0/8 is the first of 8 shards)\n")]
    public void Invalid_shard_is_PE9100(string shard, string expected)
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--shard", shard);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.UnreadableInput)]
    public void Input_that_is_not_a_report_is_PE9101_at_its_location()
    {
        var broken = File("broken.json");
        System.IO.File.WriteAllText(broken, "{\n  \"$schema\": ");
        var other = File("other.json");
        System.IO.File.WriteAllText(other, "[1, 2]");
        var result = CliRunner.Run("merge", broken, other);
        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^{Escape(broken)}:2:[0-9]+: error PE9101: '{Escape(broken)}' is not JSON: .+ Give merge the JSON reports of evaluate --shard, unchanged\.$", lines[0]);
        Assert.Equal($"{other}:1:1: error PE9101: '{other}' is neither a findings report ($schema https://policyengine.dev/schemas/findings.schema.json) nor a snapshot (formatVersion): merge combines the JSON shard reports of evaluate --shard", lines[1]);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.NotAShardReport)]
    public void Unsharded_report_is_PE9102()
    {
        var plain = File("plain.json");
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--fail-on", "none", "-o", plain).ExitCode);
        var result = CliRunner.Run("merge", plain);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{plain}: error PE9102: '{plain}' is not a shard report: it has no 'shard' member. Write each shard with evaluate --shard INDEX/COUNT --format json, and merge those reports\n", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.ShardCountMismatch)]
    public void Shards_of_different_counts_are_PE9103()
    {
        var first = Shard(0, 2);
        var second = Shard(1, 3);
        var result = CliRunner.Run("merge", second, first);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{second}: error PE9103: '{second}' is shard 1/3 but '{first}' is shard 0/2: every shard of one run has the same count. Merge the reports of one run only\n", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.SnapshotMismatch)]
    public void Shards_of_different_snapshots_are_PE9104()
    {
        var first = Shard(0, 2);
        var second = Shard(1, 2, "sra-aligned");
        var result = CliRunner.Run("merge", first, second);
        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^{Escape(second)}: error PE9104: '{Escape(second)}' evaluated samples/sra-aligned\.json \(sha256 [0-9a-f]{{12}}\.\.\.\) but '{Escape(first)}' evaluated samples/typical-gaps\.json \(sha256 [0-9a-f]{{12}}\.\.\.\): every shard must evaluate the same snapshot file\n$", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.PackMismatch)]
    public void Shards_of_different_configurations_are_PE9105()
    {
        var config = File("policy.yaml");
        System.IO.File.WriteAllText(config, "rules:\n  SRA-GUARDDUTY-01: { severity: low }\n");
        var first = Shard(0, 2);
        var second = Shard(1, 2, "typical-gaps", "--config", config);
        var result = CliRunner.Run("merge", first, second);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{second}: error PE9105: '{second}' and '{first}' differ in policy configuration (configSha256): every shard must run the same tool, rule pack and configuration\n", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.DuplicateShard)]
    public void The_same_shard_twice_is_PE9106()
    {
        var first = Shard(0, 2);
        var copy = File("copy.json");
        System.IO.File.Copy(first, copy);
        var result = CliRunner.Run("merge", first, copy, Shard(1, 2));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{first}: error PE9106: '{copy}' and '{first}' are both shard 0/2: give each shard once\n", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.MissingShard)]
    public void Missing_shards_are_PE9107()
    {
        var result = CliRunner.Run("merge", Shard(1, 3));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error PE9107: 2 of 3 shards are missing: 0/3, 2/3. Merge every shard's report, or the findings of their accounts would be absent and read as compliance\n", result.StandardError);
    }

    [Fact]
    [CoversShard(ShardDiagnosticCodes.MixedInputs)]
    [CoversShard(ShardDiagnosticCodes.MergedSnapshotNeedsFile)]
    public void Snapshots_are_recognised_and_not_mixed_with_reports()
    {
        var report = Shard(0, 1);
        var mixed = CliRunner.Run("merge", report, "samples/sra-aligned.json");
        Assert.Equal(2, mixed.ExitCode);
        Assert.Equal($"error PE9108: merge was given findings reports ('{report}') and snapshots ('samples/sra-aligned.json') together: merge reports with reports, snapshots with snapshots\n", mixed.StandardError);

        var snapshots = CliRunner.Run("merge", "samples/sra-aligned.json", "samples/typical-gaps.json");
        Assert.Equal(2, snapshots.ExitCode);
        Assert.Equal("--output: error PE9109: merging snapshots ('samples/sra-aligned.json', 'samples/typical-gaps.json') writes a snapshot file: give it with --output merged.json (or merged.json.gz)\n", snapshots.StandardError);
    }

    /// <summary>
    /// Splits a sample as two collect --shard runs would write it: the accounts' evidence by shard, the organization
    /// with shard 0; merged back in either order, the snapshot gives the sample's findings exactly.
    /// </summary>
    [Fact]
    public void Snapshot_parts_merged_in_either_order_give_the_findings_of_the_whole_snapshot()
    {
        var sample = System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "samples", "typical-gaps.json")))!.AsObject();
        // The sample lists its governed regions unsorted; a merge writes them sorted, as the collector does, and
        // messages list them in that order. Compare with the sample in that canonical form.
        var governed = sample["regions"]!["governed"]!.AsArray();
        sample["regions"]!["governed"] = new System.Text.Json.Nodes.JsonArray([.. governed.Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal).Select(r => (System.Text.Json.Nodes.JsonNode?)r)]);
        var wholePath = File("whole.json");
        System.IO.File.WriteAllText(wholePath, sample.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var parts = new string[2];
        for (var i = 0; i < 2; i++)
        {
            var part = sample.DeepClone().AsObject();
            var index = i;
            var evidence = new System.Text.Json.Nodes.JsonArray([.. part["evidence"]!.AsArray()
                .Where(r => Core.Sharding.Shard.Of(r!["account"]!.GetValue<string>(), 2) == index).Select(r => r!.DeepClone())]);
            part["evidence"] = evidence;
            if (index != 0)
            {
                part.Remove("organization");
                part["resources"] = new System.Text.Json.Nodes.JsonArray();
            }

            parts[i] = File($"part-{i}.json");
            System.IO.File.WriteAllText(parts[i], part.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        var whole = Findings(CliRunner.Run("evaluate", wholePath, "--format", "json", "--fail-on", "none", "--include-passing"));
        foreach (var (order, name) in new[] { (new[] { parts[0], parts[1] }, "ab.json"), ([parts[1], parts[0]], "ba.json") })
        {
            var merged = CliRunner.Run(["merge", .. order, "--output", File(name)]);
            Assert.Equal(0, merged.ExitCode);
            Assert.Matches(@"^merged 2 snapshots into .*: \d+ evidence records, \d+ configuration items, 0 held by more than one input written once\n$", merged.StandardError);
            Assert.Equal(whole, Findings(CliRunner.Run("evaluate", File(name), "--format", "json", "--fail-on", "none", "--include-passing")));
        }

        Assert.Equal(System.IO.File.ReadAllBytes(File("ab.json")), System.IO.File.ReadAllBytes(File("ba.json")));
    }

    /// <summary>Each finding's verdict and subject, without its position in the file (which a merge changes).</summary>
    private static List<string> Findings(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var report = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        return [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
            string.Join('|', new[] { "ruleId", "outcome", "severity", "message" }.Select(p => f.GetProperty(p).ToString())) + "|" + f.GetProperty("subject").GetRawText())];
    }

    [Fact]
    public void Every_shard_code_has_a_test()
    {
        var codes = typeof(ShardDiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        var covered = typeof(MergeCommandTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m => m.GetCustomAttributes<CoversShardAttribute>()).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        Assert.All(codes, c => Assert.Matches("^PE91[01][0-9]$", c));
        Assert.Equal([], codes.Where(c => !covered.Contains(c)).ToArray());
        var documented = System.IO.File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "diagnostics.md"));
        Assert.Equal([], codes.Where(c => !documented.Contains($"### {c} ", StringComparison.Ordinal)).ToArray());
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}

/// <summary>Marks a test as asserting a PE91xx code (<see cref="ShardDiagnosticCodes"/>) exactly.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class CoversShardAttribute(string code) : Attribute
{
    public string Code { get; } = code;
}
