using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using PolicyEngine.Scripting;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Config;

/// <summary><c>sandbox:</c> in the policy configuration: parsed, validated (PE2103), and used at compile and run time.</summary>
public class SandboxConfigTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    [Fact]
    public void Sandbox_values_are_read_and_unset_ones_keep_their_defaults()
    {
        var diagnostics = new List<Diagnostic>();
        var config = PolicyConfig.Parse("sandbox:\n  timeoutMs: 5000\n  maxStatements: 2000000\n  memoryLimitBytes: 134217728\n  regexTimeoutMs: 250\n", "policy.yaml", diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(new ScriptSandboxOptions
        {
            TimeoutMs = 5000, MaxStatements = 2_000_000, MemoryLimitBytes = 134217728, RegexTimeoutMs = 250,
            MaxRecursionDepth = ScriptSandboxOptions.Default.MaxRecursionDepth, MaxSourceLength = ScriptSandboxOptions.Default.MaxSourceLength,
        }, config!.Sandbox);
        Assert.Same(ScriptSandboxOptions.Default, PolicyConfig.Empty.Sandbox);
        Assert.Equal(ScriptSandboxOptions.Default, PolicyConfig.Parse("rules: {}\n", "policy.yaml", diagnostics)!.Sandbox);
    }

    [Fact]
    [Covers(DiagnosticCodes.InvalidSandboxOptions)]
    public void Every_out_of_range_sandbox_value_is_PE2103_at_its_value()
    {
        var diagnostics = new List<Diagnostic>();
        var yaml = "sandbox:\n" +
                   "  timeoutMs: 0\n" +
                   "  maxStatements: 99\n" +
                   "  memoryLimitBytes: 99999999999\n" +
                   "  maxRecursionDepth: lots\n" +
                   "  regexTimeoutMs: 10001\n" +
                   "  maxSourceLength: 4294967296\n";
        Assert.Null(PolicyConfig.Parse(yaml, "policy.yaml", diagnostics));
        Assert.Equal(
        [
            "policy.yaml:2:14: error PE2103: Sandbox option 'timeoutMs' must be between 1 and 60000, but it is 0.",
            "policy.yaml:3:18: error PE2103: Sandbox option 'maxStatements' must be between 100 and 100000000, but it is 99.",
            "policy.yaml:4:21: error PE2103: Sandbox option 'memoryLimitBytes' must be between 1048576 and 1073741824, but it is 99999999999.",
            "policy.yaml:5:22: error PE2103: Sandbox option 'maxRecursionDepth' must be a whole number, but it is 'lots'.",
            "policy.yaml:6:19: error PE2103: Sandbox option 'regexTimeoutMs' must be between 1 and 10000, but it is 10001.",
            "policy.yaml:7:20: error PE2103: Sandbox option 'maxSourceLength' must be between 16 and 1048576, but it is 4294967296.",
        ], Diagnostic.Sort(diagnostics).Select(d => d.ToString()));
    }

    [Fact]
    public void Unknown_sandbox_keys_are_reported()
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(PolicyConfig.Parse("sandbox:\n  timeout: 5\n", "policy.yaml", diagnostics));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("timeout", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(2, diagnostic.Location.Line);
    }

    [Fact]
    public void Sandbox_limits_reach_the_compiler_and_the_evaluator()
    {
        var diagnostics = new List<Diagnostic>();
        var config = PolicyConfig.Parse("sandbox:\n  maxSourceLength: 64\n  maxStatements: 100\n", "policy.yaml", diagnostics)!;
        Assert.Empty(diagnostics);

        // Compile: a predicate longer than maxSourceLength is PE2102 with the configured limit, not the default.
        var longPredicate = Rule("target: organization\npredicate: |\n  " + "const value = 1; ".PadRight(80, ' ') + "return true;\n", id: "SRA-LONG-01");
        var compiled = new RuleCompiler(Catalog, config.Sandbox).Compile([new RuleSource("long.yaml", "long.yaml", longPredicate)]);
        Assert.Contains(compiled.Diagnostics, d => d.Code == DiagnosticCodes.ScriptTooLong);
        Assert.True(new RuleCompiler(Catalog).Compile([new RuleSource("long.yaml", "long.yaml", longPredicate)]).Success);

        // Run: a loop that fits the default statement budget exceeds the configured one and becomes an Error finding.
        var loop = Rule("target: organization\npredicate: |\n  let n = 0; for (let i = 0; i < 1000; i++) { n++; } return n > 0;\n", id: "SRA-LOOP-01");
        var rules = RuleSet(loop);
        using var snapshot = Snapshot(Json);
        var limited = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Config = config, Sandbox = config.Sandbox, MaxParallelism = 1 });
        var unlimited = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = 1 });
        Assert.Equal(Outcome.Error, Assert.Single(limited.Findings).Outcome);
        Assert.Equal(Outcome.Pass, Assert.Single(unlimited.Findings).Outcome);
    }
}
