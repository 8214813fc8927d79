using PolicyEngine.Cli;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Scripting;

namespace PolicyEngine.Policies.Tests;

/// <summary>A rule pack is untrusted code: a hostile rule added to the SRA pack must not stall or change the rest.</summary>
public sealed class HostileRuleTests
{
    private static string Rule(int number, string body) => $$"""
        id: SRA-HOSTILE-{{number:00}}
        title: Hostile
        message: "Hostile rule on {account}."
        category: Hostile
        severity: low
        target: account
        predicate: |
          {{body}}
        """;

    private static readonly string[] Bodies =
    [
        "while (true) { }",
        "let s = 'x'; while (true) { s = s + s; }",
        "function f() { return f(); } return f();",
        "return /^(a+)+$/.test('a'.repeat(40) + '!');",
        "Object.prototype.pass = true; return importNamespace('System').IO.File.Exists('/etc/passwd');",
    ];

    [Fact]
    public void Hostile_predicates_become_errors_and_leave_every_other_finding_unchanged()
    {
        var sources = Bodies.Select((body, i) => new RuleSource($"hostile-{i}.yaml", $"hostile-{i}.yaml",
            Rule(i + 1, body)));
        var sandbox = ScriptSandboxOptions.Default with { TimeoutMs = 2000, MaxStatements = 1_000_000, MemoryLimitBytes = 16 * 1024 * 1024 };
        var packFiles = Directory.EnumerateFiles(RepositoryPaths.Policies, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !RuleCompiler.IsTestFile(f))
            .Select(f => new RuleSource(f, Path.GetRelativePath(RepositoryPaths.Policies, f), File.ReadAllText(f)));
        var compiler = new RuleCompiler(DefaultPaths.LoadCatalog(RepositoryPaths.Collectors), sandbox);
        var withHostile = compiler.Compile(packFiles.Concat(sources));
        Assert.True(withHostile.Success, string.Join("\n", withHostile.Diagnostics));

        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.LoadFile(Path.Combine(RepositoryPaths.Root, "samples", "sra-aligned.json"), diagnostics)!;
        var options = new EvaluationOptions { Sandbox = sandbox };
        var baseline = Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot, options);
        var attacked = Evaluator.Evaluate(withHostile.RuleSet!, snapshot, options);

        var hostile = attacked.Findings.Where(f => f.Rule.Id.StartsWith("SRA-HOSTILE-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hostile);
        Assert.All(hostile, f => Assert.Equal(Outcome.Error, f.Outcome));
        string Code(string id) => hostile.Where(f => f.Rule.Id == id).Select(f => f.Code!).Distinct().Single();
        // Statement limit, or the clock on a stalled machine; which one can differ between subjects under load.
        Assert.All(hostile.Where(f => f.Rule.Id == "SRA-HOSTILE-01"), f => Assert.Contains(f.Code, new[] { "PE3103", "PE3102" }));
        Assert.Equal("PE3105", Code("SRA-HOSTILE-02"));
        Assert.Equal("PE3106", Code("SRA-HOSTILE-03"));
        Assert.Equal("PE3107", Code("SRA-HOSTILE-04"));
        Assert.Equal("PE3101", Code("SRA-HOSTILE-05"));
        static string Key(Finding f) => $"{f.Rule.Id}|{f.Subject.SortKey}|{f.Outcome}|{f.Message}|{f.Path}";
        Assert.Equal(baseline.Findings.Select(Key), attacked.Findings.Where(f => !hostile.Contains(f)).Select(Key));
    }
}
