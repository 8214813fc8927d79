using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Benchmarks.Scripting;

/// <summary>
/// The same check written twice as a rule, evaluated by the engine over 100,000 account-region subjects
/// (25,000 accounts × 4 governed regions, each with a GuardDuty ListDetectors record; one in ten has no detector):
/// a JSONPath assertion (<c>$.DetectorIds</c> is not empty) against a JavaScript predicate
/// (<c>return ctx.inputs.detectors.DetectorIds.length &gt; 0;</c>). Figures are per subject (OperationsPerInvoke),
/// single-threaded, so both forms pay the same dispatch, evidence lookup and finding costs and differ only in the
/// check itself.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PredicateVsAssertionRuleBenchmarks
{
    private const int Accounts = 25_000;
    private const int Subjects = Accounts * 4;
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"];

    private const string Header = """
        id: BENCH-ID
        title: "GuardDuty has a detector"
        message: "GuardDuty has no detector in {account}/{region}."
        category: GuardDuty
        severity: high
        target: account-region
        inputs:
          detectors: guardduty:ListDetectors

        """;

    private const string AssertionBody = """
        assert:
          - input: detectors
            path: $.DetectorIds
            notEmpty: true
        """;

    private const string PredicateBody = """
        predicate: |
          return ctx.inputs.detectors.DetectorIds.length > 0;
        """;

    private static readonly EvaluationOptions SingleThreaded = new() { MaxParallelism = 1 };

    private Snapshot _snapshot = null!;
    private RuleSet _assertion = null!;
    private RuleSet _predicate = null!;

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = SnapshotLoader.Load(BuildSnapshot(), "detectors.json", new List<Diagnostic>())
            ?? throw new InvalidOperationException("The benchmark snapshot does not load.");
        _assertion = Compile("ASSERT-01", AssertionBody);
        _predicate = Compile("PREDICATE-01", PredicateBody);

        // Both forms must agree before their speed means anything.
        var a = Outcomes(_assertion);
        var p = Outcomes(_predicate);
        if (a != p || a != (Subjects - (Subjects / 10), Subjects / 10))
        {
            throw new InvalidOperationException($"The two rules disagree: assertion {a}, predicate {p}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _snapshot.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Subjects)]
    public int JsonPathAssertionRule() => Evaluator.Evaluate(_assertion, _snapshot, SingleThreaded).Findings.Count;

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int JavaScriptPredicateRule() => Evaluator.Evaluate(_predicate, _snapshot, SingleThreaded).Findings.Count;

    /// <summary>A passing and a failing finding of each form, as the probe prints them (what each form reports).</summary>
    public IEnumerable<string> SampleFindings()
    {
        foreach (var rules in new[] { _assertion, _predicate })
        {
            var findings = Evaluator.Evaluate(rules, _snapshot, SingleThreaded).Findings;
            foreach (var f in new[] { findings.First(f => f.Outcome == Outcome.Pass), findings.First(f => f.Outcome == Outcome.Fail) })
            {
                yield return $"{f.Rule.Id} {f.Outcome} {f.Subject.Account}/{f.Subject.Region} path={f.Path} at {f.Line}:{f.Column} message={f.Message}";
            }
        }
    }

    /// <summary>Milliseconds per evaluation (best of <paramref name="rounds"/>) of a rule with this predicate, for the probe.</summary>
    public double TimePredicate(string predicate, int rounds)
    {
        var rules = Compile("PROBE-01", "predicate: |\n  " + predicate + "\n");
        var best = double.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            _ = Evaluator.Evaluate(rules, _snapshot, SingleThreaded).Findings.Count;
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    private (int Pass, int Fail) Outcomes(RuleSet rules)
    {
        var findings = Evaluator.Evaluate(rules, _snapshot, SingleThreaded).Findings;
        return (findings.Count(f => f.Outcome == Outcome.Pass), findings.Count(f => f.Outcome == Outcome.Fail));
    }

    private static RuleSet Compile(string id, string body)
    {
        var text = Header.Replace("BENCH-ID", "BENCH-" + id, StringComparison.Ordinal) + body;
        var compilation = new RuleCompiler(OperationCatalog.Open).Compile([new RuleSource("bench.yaml", "bench.yaml", text)]);
        return compilation.RuleSet ?? throw new InvalidOperationException(string.Join(Environment.NewLine, compilation.Diagnostics));
    }

    private static byte[] BuildSnapshot()
    {
        var json = new StringBuilder(64 * 1024 * 1024);
        json.Append("""
            {"formatVersion":"1.0",
             "metadata":{"collectedAt":"2026-11-30T12:00:00Z","collector":{"name":"bench","version":"0"},"partition":"aws","callerAccountId":"100000000000","source":"fixture"},
             "organization":{"organization":{"Id":"o-bench00001","MasterAccountId":"100000000000"},"accounts":[
            """);
        for (var i = 0; i < Accounts; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"Id":"{{Account(i)}}","Name":"a{{i}}","State":"ACTIVE"}""");
        }

        json.Append("""]},"roles":{"management":[{"accountId":"100000000000","source":"configured","reason":"bench"}]},""");
        json.Append("\"regions\":{\"governed\":[").AppendJoin(",", Regions.Select(r => "\"" + r + "\"")).Append("]},\"evidence\":[");
        var n = 0;
        for (var i = 0; i < Accounts; i++)
        {
            foreach (var region in Regions)
            {
                var ids = n % 10 == 0 ? "" : $"\"{n:x8}a1b2c3d4e5f6a7b8c9d0e1f2\"";
                json.Append(n == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $$$"""{"service":"guardduty","operation":"ListDetectors","account":"{{{Account(i)}}}","region":"{{{region}}}","status":"ok","response":{"DetectorIds":[{{{ids}}}]}}""");
                n++;
            }
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static string Account(int i) => (100_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
}
