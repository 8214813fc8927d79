using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PolicyEngine.Cli.Tests;

/// <summary><c>evaluate --baseline</c>, <c>--fail-on-new</c> and <c>diff</c> on the samples.</summary>
public sealed partial class BaselineCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-engine-baseline-");

    // The longest time limits, so that a loaded machine cannot turn a pass into an error between two runs.
    private readonly string _patient;

    public BaselineCommandTests()
    {
        _patient = File("patient.yaml");
        System.IO.File.WriteAllText(_patient, "sandbox:\n  timeoutMs: 60000\n  regexTimeoutMs: 10000\n");
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    private string Report(string snapshot, string name, params string[] more)
    {
        var path = File(name);
        var result = CliRunner.Run(["evaluate", snapshot, "--format", $"json={path}", "--fail-on", "none", "--config", _patient, .. more]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return path;
    }

    /// <summary>
    /// From the gapped sample to the aligned one: every fixed finding of the JSON report is an ARCHIVED, RESOLVED ASFF
    /// finding (so one import closes it in Security Hub), one OCSF Resolved event, and a line of the Markdown summary.
    /// </summary>
    [Fact]
    public void Fixed_findings_are_archived_in_asff_resolved_in_ocsf_and_listed_in_markdown()
    {
        var baseline = Report("samples/typical-gaps.json", "before.json");
        string[] outputs = [$"json={File("after.json")}", $"asff={File("after.asff.json")}", $"ocsf={File("after.ocsf.jsonl")}", $"markdown={File("after.md")}"];
        var result = CliRunner.Run(["evaluate", "samples/sra-aligned.json", "--baseline", baseline, "--fail-on", "none", "--config", _patient,
            .. outputs.SelectMany(o => new[] { "--format", o })]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File("after.json")));
        var fixedCount = json.RootElement.GetProperty("fixed").GetArrayLength();
        Assert.True(fixedCount > 100, $"only {fixedCount} fixed");
        using var asff = JsonDocument.Parse(System.IO.File.ReadAllText(File("after.asff.json")));
        var archived = asff.RootElement.EnumerateArray().SelectMany(r => r.GetProperty("Findings").EnumerateArray())
            .Where(f => f.GetProperty("RecordState").GetString() == "ARCHIVED").ToList();
        Assert.Equal(fixedCount, archived.Count);
        Assert.All(archived, f => Assert.Equal("RESOLVED", f.GetProperty("Workflow").GetProperty("Status").GetString()));
        var resolved = System.IO.File.ReadAllLines(File("after.ocsf.jsonl")).Count(l => l.Contains("\"baseline_status\":\"fixed\"", StringComparison.Ordinal));
        Assert.Equal(fixedCount, resolved);
        Assert.Contains($"<summary>Fixed since the baseline ({fixedCount})</summary>", System.IO.File.ReadAllText(File("after.md")), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every rule of the pack with each message and title reworded, evaluated on the sample with its evidence, resources,
    /// accounts and every list in every response in reverse order: each finding keeps its fingerprint, so against the
    /// original report everything is unchanged, nothing new, nothing fixed, although every failure's message differs.
    /// </summary>
    [Fact]
    public void Classification_survives_a_rewording_of_every_message_and_a_reordering_of_the_snapshot()
    {
        var baseline = Report("samples/typical-gaps.json", "before.json");

        var pack = Directory.CreateDirectory(File("reworded"));
        var source = Path.Combine(CliRunner.RepoRoot, "policies", "aws-sra");
        var reworded = 0;
        foreach (var rule in Directory.EnumerateFiles(source, "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal)))
        {
            var target = Path.Combine(pack.FullName, Path.GetRelativePath(source, rule));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var text = Reword().Replace(System.IO.File.ReadAllText(rule), m =>
            {
                reworded++;
                var value = m.Groups["value"].Value;
                return m.Groups["key"].Value + (value[0] is '"' or '\'' ? value[0] + "Reworded " + value[1..] : "Reworded " + value);
            });
            System.IO.File.WriteAllText(target, text);
        }

        Assert.True(reworded > 300, $"only {reworded} messages and titles were reworded");

        var sample = JsonNode.Parse(System.IO.File.ReadAllText(CliRunner.Sample("typical-gaps")))!.AsObject();
        ReverseArrays(sample["evidence"]!);
        ReverseArrays(sample["resources"]!);
        ReverseArrays(sample["organization"]!);
        var reordered = File("reordered.json");
        System.IO.File.WriteAllText(reordered, sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var after = Report(reordered, "after.json", "--rules", pack.FullName, "--baseline", baseline);
        using var before = JsonDocument.Parse(System.IO.File.ReadAllText(baseline));
        using var now = JsonDocument.Parse(System.IO.File.ReadAllText(after));
        var summary = now.RootElement.GetProperty("summary");
        var listed = now.RootElement.GetProperty("findings").GetArrayLength();
        Assert.Equal(before.RootElement.GetProperty("findings").GetArrayLength(), listed);
        Assert.Equal(listed, summary.GetProperty("byBaselineStatus").GetProperty("unchanged").GetInt32());
        Assert.Equal(0, summary.GetProperty("byBaselineStatus").GetProperty("new").GetInt32());
        Assert.Equal(0, summary.GetProperty("byBaselineStatus").GetProperty("fixed").GetInt32());
        Assert.All(now.RootElement.GetProperty("findings").EnumerateArray(), f => Assert.Equal("unchanged", f.GetProperty("baselineStatus").GetString()));

        // The rewording and the reordering reached the report: every failure's message changed, and paths moved.
        var oldMessages = before.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString()).ToHashSet();
        var failures = now.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("outcome").GetString() == "fail").ToArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.DoesNotContain(f.GetProperty("message").GetString(), oldMessages));
        Assert.NotEqual(Paths(before), Paths(now));

        // diff says the same.
        var diff = CliRunner.Run("diff", baseline, after);
        Assert.Equal($"{baseline} -> {after}: new 0, unchanged {listed}, fixed 0\n", diff.StandardOutput);
    }

    private static string[] Paths(JsonDocument report) =>
        [.. report.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => f.TryGetProperty("location", out var l) && l.TryGetProperty("path", out var p) ? p.GetString()! : string.Empty)];

    /// <summary>
    /// Reverses every array, except inside an evidence record's parameters: those name the request (the account ids of a
    /// batch, the attribute names asked for), and a request with its parameters in another order is another request.
    /// </summary>
    private static void ReverseArrays(JsonNode node)
    {
        if (node is JsonArray array)
        {
            var items = array.ToList();
            array.Clear();
            items.Reverse();
            foreach (var item in items)
            {
                array.Add(item);
            }
        }

        foreach (var child in node switch { JsonArray a => a.ToList(), JsonObject o => o.Where(p => p.Key != "parameters").Select(p => p.Value).ToList(), _ => [] })
        {
            if (child is not null)
            {
                ReverseArrays(child);
            }
        }
    }

    [GeneratedRegex(@"^(?<key>\s*(?:- )?(?:message|title): )(?<value>[^|>\s].*)$", RegexOptions.Multiline)]
    private static partial Regex Reword();

    [Fact]
    public void A_baseline_from_another_organization_makes_its_findings_fixed_and_the_new_ones_gate()
    {
        var aligned = Report("samples/sra-aligned.json", "aligned.json");
        var gapped = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--baseline", aligned, "--fail-on-new", "HIGH");
        Assert.Equal(ExitCodes.FindingsAtOrAboveThreshold, gapped.ExitCode);
        using var report = JsonDocument.Parse(gapped.StandardOutput);
        using var alignedReport = JsonDocument.Parse(System.IO.File.ReadAllText(aligned));
        // Whatever the aligned organization lists (nothing, unless a predicate hit a limit on a loaded machine) is not new.
        var before = Fingerprints(alignedReport);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToArray();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(before.Contains(f.GetProperty("fingerprint").GetString()!) ? "unchanged" : "new", f.GetProperty("baselineStatus").GetString()));
        var counts = report.RootElement.GetProperty("summary").GetProperty("byBaselineStatus");
        Assert.Equal(findings.Count(f => f.GetProperty("baselineStatus").GetString() == "new"), counts.GetProperty("new").GetInt32());
        Assert.Equal(aligned, report.RootElement.GetProperty("baseline").GetString());

        // Against itself nothing is new: --fail-on-new passes where --fail-on fails, and --fail-on is off by default with it.
        var itself = Report("samples/typical-gaps.json", "gaps.json");
        Assert.Equal(0, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--baseline", itself, "--fail-on-new", "low", "--allow-insufficient-data").ExitCode);
        Assert.Equal(1, CliRunner.Run("evaluate", "samples/typical-gaps.json", "--format", "json", "--baseline", itself, "--fail-on-new", "low", "--fail-on", "high").ExitCode);

        using var gaps = JsonDocument.Parse(System.IO.File.ReadAllText(itself));
        var fixedAll = CliRunner.Run("evaluate", "samples/sra-aligned.json", "--format", "json", "--baseline", itself);
        using var fixedReport = JsonDocument.Parse(fixedAll.StandardOutput);
        var now = Fingerprints(fixedReport);
        Assert.Equal(Fingerprints(gaps).Where(f => !now.Contains(f)).Order(StringComparer.Ordinal),
            fixedReport.RootElement.GetProperty("fixed").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString()!).Order(StringComparer.Ordinal));
    }

    private static HashSet<string> Fingerprints(JsonDocument report) =>
        report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString()!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Fail_on_new_needs_a_baseline()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on-new", "high");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("--fail-on-new gates on findings that are new since a baseline; give --baseline REPORT.json too.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_baseline_is_a_located_diagnostic_and_exit_2()
    {
        var broken = File("broken.json");
        System.IO.File.WriteAllText(broken, "{\n  \"$schema\": \n");
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--baseline", broken);
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal($"{broken}:3:1: error PE9001: The report is not valid JSON; give a report written with --format json.\n", result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);

        var snapshot = CliRunner.Run("diff", "samples/typical-gaps.json", broken);
        Assert.Equal(ExitCodes.InvalidInput, snapshot.ExitCode);
        Assert.Contains("samples/typical-gaps.json:1:1: error PE9002:", snapshot.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_lists_new_and_fixed_findings_most_severe_first_and_gates_on_new()
    {
        var aligned = Report("samples/sra-aligned.json", "aligned.json");
        var gaps = Report("samples/typical-gaps.json", "gaps.json");
        var forward = CliRunner.Run("diff", aligned, gaps, "--fail-on-new", "critical");
        var lines = forward.StandardOutput.Split('\n');
        Assert.Matches(@"^.*aligned\.json -> .*gaps\.json: new [1-9][0-9]*, unchanged 0, fixed 0$", lines[0]);
        Assert.StartsWith("New (", lines[2], StringComparison.Ordinal);
        var severities = lines.Skip(3).TakeWhile(l => l.Length > 0).Select(l => l[1..l.IndexOf(']', StringComparison.Ordinal)]).ToArray();
        string[] order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];
        Assert.Equal(severities.OrderBy(s => Array.IndexOf(order, s)), severities);

        var backward = CliRunner.Run("diff", gaps, aligned, "--format", "json", "--fail-on-new", "low");
        Assert.Equal(0, backward.ExitCode);
        using var json = JsonDocument.Parse(backward.StandardOutput);
        Assert.Equal(0, json.RootElement.GetProperty("summary").GetProperty("new").GetInt32());
        Assert.Equal(lines.Length - 4, json.RootElement.GetProperty("fixed").GetArrayLength());
    }
}
