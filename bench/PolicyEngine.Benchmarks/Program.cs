using BenchmarkDotNet.Running;
using PolicyEngine.Benchmarks.JsonPath;

namespace PolicyEngine.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher, plus the JSONPath data generator used by bench/jsonpath/run.sh.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is [JsonPathBenchmarkData.GenerateCommand, var directory])
        {
            JsonPathBenchmarkData.WriteFiles(directory);
            return;
        }

        if (args is ["--rule-probe", var which])
        {
            var bench = new Scripting.PredicateVsAssertionRuleBenchmarks();
            bench.Setup();
            foreach (var finding in bench.SampleFindings())
            {
                Console.WriteLine(finding);
            }

            if (which == "true")
            {
                Console.WriteLine($"{bench.TimePredicate("return true;", 20),8:F0} ms  return true;");
                return;
            }

            if (which == "steps")
            {
                foreach (var predicate in new[] { "return true;", "return ctx.inputs !== null;", "return ctx.inputs.detectors !== null;", "return ctx.inputs.detectors.DetectorIds.length > 0;" })
                {
                    Console.WriteLine($"{bench.TimePredicate(predicate, 5),8:F0} ms  {predicate}");
                }

                return;
            }

            for (var round = 0; round < 5; round++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                for (var k = 0; k < 4; k++)
                {
                    _ = which == "js" ? bench.JavaScriptPredicateRule() : bench.JsonPathAssertionRule();
                }

                Console.WriteLine($"{which}: {watch.Elapsed.TotalMilliseconds / 4:F0} ms per evaluation");
            }

            return;
        }

        if (args is ["--filter-probe", var file])
        {
            JsonPath.FilterProbe.Run(file);
            return;
        }

        if (args is ["--script-probe"])
        {
            Scripting.ScriptProbe.Run();
            return;
        }

        if (args is ["--check-rulepack-data"])
        {
            var bytes = Evaluation.ScaledSnapshot.Build(Path.Combine(Evaluation.Repository.Root, "samples", "sra-aligned.json"), 1000,
                ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]);
            var diagnostics = new List<PolicyEngine.Core.Diagnostics.Diagnostic>();
            using var snapshot = PolicyEngine.Core.Snapshots.SnapshotLoader.Load(bytes, "scaled.json", diagnostics);
            Console.WriteLine($"{bytes.Length} bytes, {snapshot?.Evidence.Count} evidence records, {diagnostics.Count} diagnostics");
            foreach (var d in diagnostics.Take(5))
            {
                Console.WriteLine(d);
            }

            return;
        }

        if (args is ["--profile-rules", var count])
        {
            var bytes = Evaluation.ScaledSnapshot.Build(Path.Combine(Evaluation.Repository.Root, "samples", "sra-aligned.json"), int.Parse(count, System.Globalization.CultureInfo.InvariantCulture),
                ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]);
            using var snapshot = PolicyEngine.Core.Snapshots.SnapshotLoader.Load(bytes, "scaled.json", new List<PolicyEngine.Core.Diagnostics.Diagnostic>())!;
            var pack = new PolicyEngine.Core.Rules.RuleCompiler(PolicyEngine.Core.Rules.Model.OperationCatalog.Open)
                .CompileDirectories([Path.Combine(Evaluation.Repository.Root, "policies")]).RuleSet!;
            var whole = System.Diagnostics.Stopwatch.StartNew();
            var all = PolicyEngine.Core.Evaluation.Evaluator.Evaluate(pack, snapshot);
            Console.WriteLine($"whole pack: {whole.Elapsed.TotalMilliseconds:F0} ms, {all.Findings.Count} findings");
            foreach (var (label, filter) in new (string, Func<PolicyEngine.Core.Rules.Model.CompiledRule, bool>)[] { ("declarative only", r => r.Predicate is null), ("predicates only", r => r.Predicate is not null) })
            {
                var subset = new PolicyEngine.Core.Rules.RuleSet(pack.Rules.Where(filter));
                var w = System.Diagnostics.Stopwatch.StartNew();
                var part = PolicyEngine.Core.Evaluation.Evaluator.Evaluate(subset, snapshot);
                Console.WriteLine($"{label}: {subset.Rules.Count} rules, {w.Elapsed.TotalMilliseconds:F0} ms, {part.Findings.Count} findings");
            }

            var times = new List<(string, double, int)>();
            foreach (var rule in pack.Rules)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = PolicyEngine.Core.Evaluation.Evaluator.Evaluate(new PolicyEngine.Core.Rules.RuleSet([rule]), snapshot);
                times.Add((rule.Descriptor.Id, watch.Elapsed.TotalMilliseconds, result.Findings.Count));
            }

            foreach (var (id, ms, n) in times.OrderByDescending(t => t.Item2).Take(25))
            {
                Console.WriteLine($"{id,-36} {ms,10:F0} ms {n,8} findings");
            }

            Console.WriteLine($"total {times.Sum(t => t.Item2):F0} ms");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
