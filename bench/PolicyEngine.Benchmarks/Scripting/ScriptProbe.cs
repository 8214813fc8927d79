using System.Diagnostics;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;

namespace PolicyEngine.Benchmarks.Scripting;

public static class ScriptProbe
{
    public static void Run()
    {
        // The same subjects and context as PredicateVsJsonPathBenchmarks, timed step by step.
        var benchmarks = new PredicateVsJsonPathBenchmarks();
        benchmarks.Setup();
        var subjects = benchmarks.SubjectValues;
        var n = subjects.Length;
        var query = JsonPathQuery.Parse("$.DetectorIds[0]");
        var runner = new PredicateRunner(ScriptSandboxOptions.Default);
        var context = new PredicateVsJsonPathBenchmarks.BenchContext();
        string[] scripts = ["return true;", "return ctx.account !== null;", "return ctx.subject;", "return ctx.subject.DetectorIds;", "return ctx.subject !== null;", "return ctx.subject.DetectorIds !== null;", "return ctx.subject.DetectorIds.length > 0;"];
        var compiled = scripts.Select(s => PredicateCompiler.Compile(s, "probe", ScriptSandboxOptions.Default).Predicate!).ToArray();
        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { } only)
        {
            var predicate = compiled[int.Parse(only, System.Globalization.CultureInfo.InvariantCulture)];
            for (var round = 0; round < 60; round++)
            {
                foreach (var s in subjects) { context.Subject = s; runner.Run(predicate, context); }
            }

            return;
        }

        for (var round = 0; round < 3; round++)
        {
            var sandbox = new PolicyEngine.Scripting.Internal.SandboxEngine(ScriptSandboxOptions.Default);
            var eng = sandbox.Engine;
            Measure("C#: JsonValues.From(subject)", () => { var p = 0; foreach (var s in subjects) { if (PolicyEngine.Scripting.Internal.JsonValues.From(eng, s) is not null) { p++; } } return p; });
            var key = Jint.Native.JsString.Create("DetectorIds");
            Measure("C#: From(subject).Get(DetectorIds)", () => { var p = 0; foreach (var s in subjects) { if (PolicyEngine.Scripting.Internal.JsonValues.From(eng, s) is Jint.Native.Object.ObjectInstance o && o.Get(key) is Jint.Native.JsArray) { p++; } } return p; });
            Measure("C#: TryGetProperty+From(array)", () => { var p = 0; foreach (var s in subjects) { if (s.TryGetProperty("DetectorIds", out var a) && PolicyEngine.Scripting.Internal.JsonValues.From(eng, a) is not null) { p++; } } return p; });
            Measure("C#: TryGetProperty+JsArray unfrozen", () => { var p = 0; foreach (var s in subjects) { if (s.TryGetProperty("DetectorIds", out var a)) { var v = new Jint.Native.JsValue[a.GetArrayLength()]; var i = 0; foreach (var x in a.EnumerateArray()) { v[i++] = Jint.Native.JsString.Create(x.GetString()!); } if (new Jint.Native.JsArray(eng, v) is not null) { p++; } } } return p; });
            Measure("jsonpath", () => { var p = 0; foreach (var s in subjects) { if (query.Evaluate(s).Count > 0) { p++; } } return p; });
            for (var k = 0; k < scripts.Length; k++)
            {
                var predicate = compiled[k];
                Measure(scripts[k], () => { var p = 0; foreach (var s in subjects) { context.Subject = s; if (runner.Run(predicate, context).Outcome == PredicateOutcome.Pass) { p++; } } return p; });
            }
        }

        void Measure(string name, Func<int> body)
        {
            var best = double.MaxValue;
            for (var r = 0; r < 5; r++)
            {
                var sw = Stopwatch.StartNew();
                body();
                best = Math.Min(best, sw.Elapsed.TotalNanoseconds / n);
            }

            Console.WriteLine($"{name,-50} {best,8:F1} ns");
        }
    }
}
