using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary>Repeatable <c>--format FORMAT[=FILE]</c>: one evaluation, many reports, each written atomically.</summary>
public sealed class ReportOutputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-engine-outputs-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    [Fact]
    public void One_evaluation_writes_every_format_to_its_file_and_one_to_standard_output()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "none",
            "--format", $"sarif={File("r.sarif")}", "--format", $"json={File("r.json")}", "--format", $"sra-verify-csv={File("r.csv")}", "--format", "console");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Equal(["r.csv", "r.json", "r.sarif"], _directory.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));

        // Each file is byte for byte what the format alone writes to standard output.
        foreach (var (format, name) in new[] { ("sarif", "r.sarif"), ("json", "r.json"), ("sra-verify-csv", "r.csv"), ("console", null) })
        {
            var alone = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "none", "--format", format);
            Assert.Equal(alone.StandardOutput, name is null ? result.StandardOutput : System.IO.File.ReadAllText(File(name)));
        }
    }

    [Fact]
    public void Reports_are_the_same_whether_passing_findings_are_counted_or_held()
    {
        // Alone, json, sarif and markdown only count Pass and NotApplicable findings; beside html (whose charts read
        // them one by one), or with a filter that keeps everything, every finding is held. The bytes must not differ.
        var counted = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--fail-on", "none",
            "--format", $"json={File("c.json")}", "--format", $"sarif={File("c.sarif")}", "--format", $"markdown={File("c.md")}");
        var held = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--fail-on", "none", "--format", $"html={File("h.html")}",
            "--format", $"json={File("h.json")}", "--format", $"sarif={File("h.sarif")}", "--format", $"markdown={File("h.md")}");
        Assert.True(counted.ExitCode == 0, counted.StandardError);
        Assert.True(held.ExitCode == 0, held.StandardError);
        foreach (var extension in new[] { "json", "sarif", "md" })
        {
            Assert.Equal(System.IO.File.ReadAllBytes(File("h." + extension)), System.IO.File.ReadAllBytes(File("c." + extension)));
        }

        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File("c.json")));
        Assert.True(json.RootElement.GetProperty("summary").GetProperty("byOutcome").GetProperty("pass").GetInt32() > 0);
    }

    [Fact]
    public void Format_with_output_keeps_working_and_dash_names_standard_output()
    {
        var result = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--fail-on", "none", "--format", "json", "--output", File("a.json"), "--format", "sarif=-");
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File("a.json")));
        using var sarif = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void An_unknown_format_is_PE9004_and_nothing_is_written()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", $"htm={File("r.html")}", "--format", $"json={File("r.json")}");
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal($"--format htm={File("r.html")}: error PE9004: Unknown report format 'htm'. Did you mean 'html'? Use one of: console, json, sarif, sra-verify-csv, html, ocsf, asff, markdown, junit, optionally with a destination: --format sarif=results.sarif.\n", result.StandardError);
        Assert.Empty(_directory.GetFiles());
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Theory]
    [InlineData("--format json --format sarif", "--format: error PE9005: 2 reports (json, sarif) would go to standard output; give all but one a file: --format FORMAT=FILE.")]
    [InlineData("--format json --format sarif --output OUT", "--output: error PE9005: --output 'OUT' can hold one report, but 2 formats have no destination; give each its own: --format sarif=results.sarif --format json=results.json.")]
    [InlineData("--format json=OUT --output OUT", "--output: error PE9005: --output 'OUT' names the file of a --format without a destination, but every --format has one; remove --output or write --format FORMAT without '='.")]
    [InlineData("--format json=OUT --format sarif=OUT", "--format: error PE9005: json and sarif would both be written to 'OUT'; give each report its own file.")]
    [InlineData("--format json=", "--format json=: error PE9005: 'json=' names no destination after '='; write --format json=json-report.json, or --format json=- for standard output.")]
    public void Conflicting_destinations_are_PE9005(string options, string expected)
    {
        var output = File("out.txt");
        var result = CliRunner.Run(["evaluate", "samples/typical-gaps.json", .. options.Replace("OUT", output, StringComparison.Ordinal).Split(' ')]);
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal(expected.Replace("OUT", output, StringComparison.Ordinal) + "\n", result.StandardError);
        Assert.Empty(_directory.GetFiles());
    }
}

/// <summary>The report filters apply to every format, and summaries say they are active.</summary>
public sealed class ReportFilterCommandTests
{
    [Fact]
    public void Filters_narrow_every_format_and_the_summaries_say_so()
    {
        string[] filter = ["--severity", "HIGH", "--rule", "SRA-GUARDDUTY-*", "--ou", "Root/Prod", "--outcome", "fail", "--fail-on", "none"];
        var json = CliRunner.Run(["evaluate", "samples/typical-gaps.json", "--format", "json", .. filter]);
        Assert.True(json.ExitCode == 0, json.StandardError);
        using var report = System.Text.Json.JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("severity high or above; rule SRA-GUARDDUTY-*; ou Root/Prod; outcome fail", report.RootElement.GetProperty("filter").GetString());
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToArray();
        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.StartsWith("SRA-GUARDDUTY-", f.GetProperty("ruleId").GetString(), StringComparison.Ordinal);
            Assert.Equal("fail", f.GetProperty("outcome").GetString());
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "high", "critical" });
            Assert.True(ReportFilterTestsSupport.IsUnderProd(f.GetProperty("subject").GetProperty("ouPath").GetString()!));
        });
        Assert.Equal(findings.Length, report.RootElement.GetProperty("summary").GetProperty("findings").GetInt32());

        var console = CliRunner.Run(["evaluate", "samples/typical-gaps.json", .. filter]);
        Assert.Contains("\nFilter:     severity high or above; rule SRA-GUARDDUTY-*; ou Root/Prod; outcome fail (every count covers the filtered findings only)\n", console.StandardOutput, StringComparison.Ordinal);
        var sarif = CliRunner.Run(["evaluate", "samples/typical-gaps.json", "--format", "sarif", .. filter]);
        using var sarifReport = System.Text.Json.JsonDocument.Parse(sarif.StandardOutput);
        Assert.Equal(findings.Length, sarifReport.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());

        // The gate reads the filtered findings: nothing of low severity is left to fail on.
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--rule", "SRA-NOSUCH-*").ExitCode);
    }
}

internal static class ReportFilterTestsSupport
{
    public static bool IsUnderProd(string ouPath) => ouPath == "Root/Prod" || ouPath.StartsWith("Root/Prod/", StringComparison.Ordinal);
}
