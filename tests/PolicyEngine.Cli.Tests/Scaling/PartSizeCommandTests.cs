using static PolicyEngine.Cli.Tests.CliRunner;

namespace PolicyEngine.Cli.Tests.Scaling;

/// <summary>
/// <c>evaluate --part-size</c>: a snapshot file larger than the size is evaluated part by part, and every report, the
/// exit code and the diagnostics are those of evaluating it whole.
/// </summary>
public sealed class PartSizeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pe-part-size-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("typical-gaps")]
    [InlineData("partial-evidence")]
    public void A_sample_evaluated_in_parts_writes_the_reports_and_exit_code_of_a_whole_evaluation(string sample)
    {
        // The plan evaluate makes: the sample is split (into about 20 parts of 16 KB of records).
        using (var plan = Core.Snapshots.SnapshotParts.TryPlan(Sample(sample), 16 << 10))
        {
            Assert.InRange(plan!.Count, 10, 40);
        }

        var whole = Evaluate(Sample(sample), "whole", "0");
        var parts = Evaluate(Sample(sample), "parts", "16K");

        Assert.Equal(whole.Result.ExitCode, parts.Result.ExitCode);
        Assert.Equal(whole.Result.StandardError, parts.Result.StandardError);
        Assert.Equal(whole.Result.StandardOutput, parts.Result.StandardOutput);
        foreach (var format in new[] { "json", "sarif", "md" })
        {
            Assert.Equal(File.ReadAllBytes(whole.Reports[format]), File.ReadAllBytes(parts.Reports[format]));
        }
    }

    [Fact]
    public void A_malformed_record_is_reported_as_a_whole_evaluation_reports_it()
    {
        var text = File.ReadAllText(Sample("typical-gaps"));
        var at = text.LastIndexOf("\"status\": \"ok\"", StringComparison.Ordinal);
        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, text[..at] + "\"status\": \"fine\"" + text[(at + "\"status\": \"ok\"".Length)..]);

        var whole = Evaluate(broken, "whole", "0");
        var parts = Evaluate(broken, "parts", "16K");

        Assert.Equal(ExitCodes.InvalidInput, whole.Result.ExitCode);
        Assert.Contains("Evidence status 'fine' is not one of ok, error, notCollected.", whole.Result.StandardError, StringComparison.Ordinal);
        Assert.Equal(whole.Result.ExitCode, parts.Result.ExitCode);
        Assert.Equal(whole.Result.StandardError, parts.Result.StandardError);
    }

    [Theory]
    [InlineData("12X")]
    [InlineData("-1")]
    [InlineData("M")]
    [InlineData("99999999999G")]
    public void A_size_that_is_not_one_is_refused(string size)
    {
        var result = Run("evaluate", Sample("typical-gaps"), "--part-size", size);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains($"--part-size takes a size in bytes with an optional K, M or G suffix, or 0 to evaluate the snapshot whole (e.g. 64M); '{size}' is not one.", result.StandardError, StringComparison.Ordinal);
    }

    private (Result Result, Dictionary<string, string> Reports) Evaluate(string snapshot, string name, string partSize)
    {
        var reports = new[] { "json", "sarif", "md" }.ToDictionary(f => f, f => Path.Combine(_directory, $"{name}.{f}"));
        var result = Run("evaluate", snapshot, "--part-size", partSize, "--format", "console",
            "--format", $"json={reports["json"]}", "--format", $"sarif={reports["sarif"]}", "--format", $"markdown={reports["md"]}");
        return (result, reports);
    }
}
