using System.Globalization;
using System.Text;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Tests;

/// <summary>Small helpers shared by the Core tests: a fixed operation catalog, compile and load shortcuts, finding rendering.</summary>
internal static class TestKit
{
    public static OperationCatalog Catalog { get; } = new(
    [
        new(new OperationName("organizations", "DescribeOrganization"), CollectionScope.Organization),
        new(new OperationName("cloudtrail", "DescribeTrails"), CollectionScope.AccountRegion),
        new(new OperationName("guardduty", "ListDetectors"), CollectionScope.AccountRegion),
        new(new OperationName("guardduty", "GetDetector"), CollectionScope.AccountRegion),
        new(new OperationName("iam", "GetAccountSummary"), CollectionScope.Account),
    ]);

    public static RuleCompilation Compile(params (string Path, string Text)[] files) =>
        new RuleCompiler(Catalog).Compile(files.Select(f => new RuleSource(f.Path, f.Path, f.Text)));

    public static RuleCompilation Compile(string text) => Compile(("rule.yaml", text));

    /// <summary>Compiles and returns the diagnostics' one-line forms.</summary>
    public static string[] Diagnose(string text) => Compile(text).Diagnostics.Select(d => d.ToString()).ToArray();

    public static RuleSet RuleSet(params string[] texts)
    {
        var compilation = Compile(texts.Select((t, i) => ($"r{i}.yaml", t)).ToArray());
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));
        return compilation.RuleSet!;
    }

    public static Snapshot Snapshot(string json, string file = "snap.json")
    {
        var diagnostics = new List<Diagnostic>();
        var snapshot = SnapshotLoader.Load(Encoding.UTF8.GetBytes(json), file, diagnostics);
        Assert.True(snapshot is not null, string.Join("\n", diagnostics));
        Assert.Empty(diagnostics);
        return snapshot!;
    }

    public static string[] LoadErrors(string json, string file = "snap.json")
    {
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(Encoding.UTF8.GetBytes(json), file, diagnostics);
        Assert.Null(snapshot);
        return diagnostics.Select(d => d.ToString()).ToArray();
    }

    /// <summary>One line per finding: outcome, subject, path, line:col, code and message.</summary>
    public static string Show(Finding f) => string.Create(CultureInfo.InvariantCulture,
        $"{f.Outcome.ToName()} {f.Subject.Account ?? "-"}/{f.Subject.Region ?? "-"}/{f.Subject.Resource ?? "-"} {f.Path?.ToString() ?? "-"} {f.Line}:{f.Column}{(f.Code is null ? string.Empty : " " + f.Code)} | {f.Message}");

    public static string[] Evaluate(string ruleYaml, string snapshotJson, EvaluationOptions? options = null)
    {
        using var snapshot = Snapshot(snapshotJson);
        var result = Evaluator.Evaluate(RuleSet(ruleYaml), snapshot, options ?? new EvaluationOptions { MaxParallelism = 1 });
        return result.Findings.Select(Show).ToArray();
    }

    /// <summary>A rule header with every required descriptive key; append target, inputs and assert.</summary>
    public static string Rule(string body, string id = "SRA-TEST-01", string message = "Check failed for {account}.") =>
        $"id: {id}\ntitle: Test rule\nmessage: \"{message}\"\ncategory: Test\nseverity: high\n{body}";

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "pe-core-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
