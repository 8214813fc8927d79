using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Testing;

/// <summary>
/// Writes a <see cref="RuleTestRun"/> as text (one line per case, the first difference of a failing case, a summary,
/// coverage), as JUnit XML for CI test reports (Jenkins, GitLab, GitHub), or as JSON. Output is deterministic: no
/// times, no absolute paths beyond those the user gave.
/// </summary>
public static class RuleTestReporter
{
    /// <summary>The formats <see cref="Write"/> accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["text", "junit", "json"];

    private static readonly Outcome[] CoverageOutcomes = [Outcome.Pass, Outcome.Fail, Outcome.InsufficientData, Outcome.NotApplicable, Outcome.Error];

    /// <summary>Writes the run in <paramref name="format"/> (text, junit or json) as UTF-8.</summary>
    public static void Write(RuleTestRun run, string format, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stream);
        switch (format)
        {
            case "junit":
                WriteJUnit(run, stream);
                break;
            case "json":
                WriteJson(run, stream);
                break;
            case "text":
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
                {
                    WriteText(run, writer);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Formats: text, junit, json.");
        }
    }

    /// <summary>One line per case, the first difference under a failing case, a summary line, then coverage if computed.</summary>
    public static void WriteText(RuleTestRun run, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var result in run.Results)
        {
            if (result.Passed)
            {
                writer.WriteLine($"PASS {result.Case.FullName}");
                continue;
            }

            writer.WriteLine($"FAIL {result.Case.FullName} ({result.Case.Location})");
            foreach (var line in DescribeFailure(result))
            {
                writer.WriteLine("  " + line);
            }
        }

        writer.WriteLine(Summary(run));
        if (run.Coverage is { } coverage)
        {
            writer.WriteLine();
            WriteCoverage(coverage, writer);
        }
    }

    /// <summary>"N test files, N cases: N passed, N failed."</summary>
    public static string Summary(RuleTestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var errors = run.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        return $"{Count(run.Files.Count, "test file")}, {Count(run.Results.Count, "case")}: {run.Passed} passed, {run.Failed} failed" +
            (errors > 0 ? $"; {Count(errors, "error")} in the test input." : ".");
    }

    /// <summary>The lines that explain a failing case: its first difference (or why it could not run).</summary>
    public static IReadOnlyList<string> DescribeFailure(RuleTestCaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Problem is { } problem)
        {
            return [$"cannot run: {problem}"];
        }

        if (result.Differences.Count == 0)
        {
            return [];
        }

        var d = result.Differences[0];
        var counts = d.ExpectedCount == d.ActualCount ? $"{Count(d.ExpectedCount, "finding")} expected and produced"
            : $"expected {Count(d.ExpectedCount, "finding")}, got {d.ActualCount}";
        return
        [
            $"first difference at finding {d.Position} ({counts}):",
            $"  expected: {Describe(d.Expected)}",
            $"  actual:   {Describe(d.Actual)}",
        ];
    }

    /// <summary>An expected finding: fields it does not constrain show as *; the message is a substring (~).</summary>
    public static string Describe(ExpectedFinding? e) => e is null ? "no finding"
        : $"{e.Outcome.ToName()} account={e.Account ?? "*"} region={e.Region ?? "*"} resource={e.Resource ?? "*"} path={e.Path ?? "*"} " +
          (e.MessageContains is null ? "message=*" : $"message~{Quote(e.MessageContains)}");

    /// <summary>An actual finding: absent fields show as -.</summary>
    public static string Describe(ActualFinding? a) => a is null ? "no finding"
        : $"{a.Outcome.ToName()} account={a.Account ?? "-"} region={a.Region ?? "-"} resource={a.Resource ?? "-"} path={a.Path ?? "-"} message={Quote(a.Message)}";

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? string.Empty : "s")}";

    /// <summary>The coverage table: per rule, the outcomes its cases reach, then conditions never decided true or false.</summary>
    public static void WriteCoverage(IReadOnlyList<RuleCoverage> coverage, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        ArgumentNullException.ThrowIfNull(writer);
        string[] header = ["RULE", "CASES", .. CoverageOutcomes.Select(o => o.ToName())];
        var rows = coverage.Select(c => (string[])[c.RuleId, c.Cases.ToString(CultureInfo.InvariantCulture),
            .. CoverageOutcomes.Select(o => c.Reached.Contains(o) ? "yes" : "-")]).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine("Coverage: the outcomes each rule's cases reach, and the conditions no case decided both ways.");
        writer.WriteLine(Row(header, widths));
        for (var i = 0; i < coverage.Count; i++)
        {
            var rule = coverage[i];
            writer.WriteLine(rule.HasTestFile ? Row(rows[i], widths) : $"{rule.RuleId.PadRight(widths[0])}  no test file");
            foreach (var condition in rule.Conditions.Where(c => !c.EverTrue || !c.EverFalse))
            {
                writer.WriteLine($"  {condition.Location}: {condition.Stage} condition {condition.Description} {Never(condition)}");
            }
        }

        var untested = coverage.Where(c => !c.HasTestFile).Select(c => c.RuleId).ToList();
        var complete = coverage.Count(c => c.Reached.Contains(Outcome.Pass) && c.Reached.Contains(Outcome.Fail) && c.Reached.Contains(Outcome.InsufficientData));
        var conditions = coverage.SelectMany(c => c.Conditions).ToList();
        writer.WriteLine(
            $"{Count(coverage.Count, "rule")}: {coverage.Count - untested.Count} with tests, {complete} reach pass, fail and insufficientData; " +
            $"{Count(conditions.Count, "condition")}, {conditions.Count(c => !c.EverTrue)} never true, {conditions.Count(c => !c.EverFalse)} never false.");
        if (untested.Count > 0)
        {
            writer.WriteLine($"Rules without a test file: {string.Join(", ", untested)}.");
        }
    }

    private static string Never(ConditionCoverage c) =>
        (c.EverTrue, c.EverFalse) switch
        {
            (false, false) => "never evaluated true or false",
            (false, true) => "never evaluated true",
            _ => "never evaluated false",
        };

    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    /// <summary>
    /// JUnit XML (through <see cref="JUnitXml"/>, the tool's one JUnit writer): one testsuite per test file (named after
    /// its rule), one testcase per case (classname = rule id, name = case name), a failure element with the first
    /// difference. Problems in the test input are testcases with an error element, so CI shows them too.
    /// </summary>
    public static void WriteJUnit(RuleTestRun run, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(run);
        var suites = run.Results.GroupBy(r => r.Case.File, StringComparer.Ordinal)
            .Select(file => new JUnitSuite(file.First().Case.RuleId, file.Key, [.. file.Select(Case)]))
            .ToList();
        var errors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            suites.Add(new JUnitSuite("test input", null,
                [.. errors.Select(d => new JUnitCase("test input", $"{d.Code} {d.Location}", null, null,
                    new JUnitResult(JUnitResultKind.Error, d.Message, d.Code, d.ToString())))]));
        }

        JUnitXml.Write(stream, "policy-engine test", suites);
    }

    private static JUnitCase Case(RuleTestCaseResult result)
    {
        JUnitResult? failure = null;
        if (!result.Passed)
        {
            var lines = DescribeFailure(result);
            failure = new JUnitResult(JUnitResultKind.Failure, lines.Count > 0 ? lines[0] : "failed",
                result.Problem is null ? "findings differ" : "cannot run", $"{result.Case.Location}\n{string.Join("\n", lines)}\n");
        }

        return new JUnitCase(result.Case.RuleId, result.Case.Name, result.Case.File, result.Case.Location.Line, failure);
    }

    /// <summary>The run as JSON: summary, cases (with every difference of a failing case), diagnostics and coverage.</summary>
    public static void WriteJson(RuleTestRun run, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(run);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteStartObject("summary");
            json.WriteNumber("files", run.Files.Count);
            json.WriteNumber("cases", run.Results.Count);
            json.WriteNumber("passed", run.Passed);
            json.WriteNumber("failed", run.Failed);
            json.WriteNumber("errors", run.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
            json.WriteEndObject();
            json.WriteStartArray("cases");
            foreach (var result in run.Results)
            {
                json.WriteStartObject();
                json.WriteString("rule", result.Case.RuleId);
                json.WriteString("name", result.Case.Name);
                Location(json, result.Case.Location);
                json.WriteString("status", result.Passed ? "pass" : "fail");
                if (result.Problem is { } problem)
                {
                    json.WriteString("problem", problem);
                }

                if (result.Differences.Count > 0)
                {
                    json.WriteStartArray("differences");
                    foreach (var d in result.Differences)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("finding", d.Position);
                        json.WriteNumber("expectedCount", d.ExpectedCount);
                        json.WriteNumber("actualCount", d.ActualCount);
                        Expected(json, d.Expected);
                        Actual(json, d.Actual);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("diagnostics");
            foreach (var d in run.Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("code", d.Code);
                json.WriteString("severity", d.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                json.WriteString("message", d.Message);
                Location(json, d.Location);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (run.Coverage is { } coverage)
            {
                WriteCoverageJson(coverage, json);
            }

            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void WriteCoverageJson(IReadOnlyList<RuleCoverage> coverage, Utf8JsonWriter json)
    {
        json.WriteStartArray("coverage");
        foreach (var rule in coverage)
        {
            json.WriteStartObject();
            json.WriteString("rule", rule.RuleId);
            Location(json, rule.Location);
            json.WriteBoolean("hasTestFile", rule.HasTestFile);
            json.WriteNumber("cases", rule.Cases);
            json.WriteStartArray("outcomes");
            foreach (var outcome in CoverageOutcomes.Where(rule.Reached.Contains))
            {
                json.WriteStringValue(outcome.ToName());
            }

            json.WriteEndArray();
            json.WriteStartArray("missingOutcomes");
            foreach (var outcome in CoverageOutcomes.Where(o => !rule.Reached.Contains(o)))
            {
                json.WriteStringValue(outcome.ToName());
            }

            json.WriteEndArray();
            json.WriteBoolean("declarative", rule.Declarative);
            json.WriteStartArray("conditions");
            foreach (var condition in rule.Conditions)
            {
                json.WriteStartObject();
                json.WriteString("stage", condition.Stage);
                Location(json, condition.Location);
                json.WriteString("condition", condition.Description);
                json.WriteBoolean("everTrue", condition.EverTrue);
                json.WriteBoolean("everFalse", condition.EverFalse);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Location(Utf8JsonWriter json, SourceLocation location)
    {
        json.WriteString("file", location.File);
        json.WriteNumber("line", location.Line);
        json.WriteNumber("column", location.Column);
    }

    private static void Expected(Utf8JsonWriter json, ExpectedFinding? e)
    {
        if (e is null)
        {
            json.WriteNull("expected");
            return;
        }

        json.WriteStartObject("expected");
        json.WriteString("outcome", e.Outcome.ToName());
        Optional(json, "account", e.Account);
        Optional(json, "region", e.Region);
        Optional(json, "resource", e.Resource);
        Optional(json, "path", e.Path);
        Optional(json, "messageContains", e.MessageContains);
        json.WriteEndObject();
    }

    private static void Actual(Utf8JsonWriter json, ActualFinding? a)
    {
        if (a is null)
        {
            json.WriteNull("actual");
            return;
        }

        json.WriteStartObject("actual");
        json.WriteString("outcome", a.Outcome.ToName());
        Optional(json, "account", a.Account);
        Optional(json, "region", a.Region);
        Optional(json, "resource", a.Resource);
        Optional(json, "path", a.Path);
        json.WriteString("message", a.Message);
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
