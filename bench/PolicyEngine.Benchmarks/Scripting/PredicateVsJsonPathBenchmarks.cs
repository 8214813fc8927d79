using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jint;
using Jint.Native;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;
using PolicyEngine.Scripting.Internal;

namespace PolicyEngine.Benchmarks.Scripting;

/// <summary>
/// One check over 100,000 subjects (GuardDuty ListDetectors responses, one in ten with no detector):
/// the JavaScript predicate <c>return ctx.subject.DetectorIds.length &gt; 0;</c> against the JSONPath assertion
/// "<c>$.DetectorIds[0]</c> selects a node". Figures are per subject (OperationsPerInvoke).
/// </summary>
/// <remarks>
/// The <c>Marshal*</c> rows isolate how the subject reaches the script, calling the same function on one engine:
/// the lazy frozen view the runtime uses, against Jint's <c>JsonParser</c> over the subject's UTF-8 (a native copy).
/// <c>FreshEngine</c> prices the alternative isolation design (a new hardened engine per call) on 1,000 subjects.
/// <c>InsufficientDataAbort</c> prices a predicate whose input failed to collect (the abort is a host exception),
/// on 1,000 subjects: the runner keeps its engine after such an abort instead of rebuilding it.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PredicateVsJsonPathBenchmarks
{
    private const int Subjects = 100_000;
    private const int FreshEngineSubjects = 1_000;
    private const int AbortSubjects = 1_000;

    private JsonElement[] _subjects = [];
    private byte[][] _utf8 = [];
    private JsonPathQuery _query = null!;
    private CompiledPredicate _predicate = null!;
    private PredicateRunner _runner = null!;
    private BenchContext _context = null!;
    private CompiledPredicate _abortPredicate = null!;
    private BenchContext _failedInputContext = null!;
    private SandboxEngine _sandbox = null!;
    private JsValue _function = null!;

    /// <summary>The 100,000 subjects, for the Stopwatch probe (<see cref="ScriptProbe"/>).</summary>
    internal JsonElement[] SubjectValues => _subjects;

    [GlobalSetup]
    public void Setup()
    {
        _subjects = new JsonElement[Subjects];
        _utf8 = new byte[Subjects][];
        for (var i = 0; i < Subjects; i++)
        {
            var ids = i % 10 == 0 ? "" : $"\"{i:x8}a1b2c3d4e5f6a7b8c9d0e1f2\"";
            var json = $$$"""{"DetectorIds":[{{{ids}}}],"ResponseMetadata":{"RequestId":"req-{{{i:D8}}}","HTTPStatusCode":200}}""";
            _utf8[i] = Encoding.UTF8.GetBytes(json);
            using var document = JsonDocument.Parse(_utf8[i]);
            _subjects[i] = document.RootElement.Clone();
        }

        _query = JsonPathQuery.Parse("$.DetectorIds[0]");
        var compilation = PredicateCompiler.Compile("return ctx.subject.DetectorIds.length > 0;", "bench", ScriptSandboxOptions.Default);
        _predicate = compilation.Predicate ?? throw new InvalidOperationException(compilation.Diagnostics[0].Message);
        _runner = new PredicateRunner(ScriptSandboxOptions.Default);
        _context = new BenchContext();
        _abortPredicate = PredicateCompiler.Compile("return ctx.inputs.detectors.DetectorIds.length > 0;", "bench", ScriptSandboxOptions.Default).Predicate
            ?? throw new InvalidOperationException("abort predicate");
        _failedInputContext = new BenchContext
        {
            Inputs = new Dictionary<string, EvidenceView>
            {
                ["detectors"] = new(EvidenceStatus.Error, null, "AccessDenied", "not authorized", "guardduty:ListDetectors/111111111111/eu-west-1"),
            },
        };

        _sandbox = new SandboxEngine(ScriptSandboxOptions.Default);
        _function = _sandbox.Engine.Evaluate("(function (subject) { 'use strict'; return subject.DetectorIds.length > 0; })");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Subjects)]
    public int JsonPathAssertion()
    {
        var pass = 0;
        foreach (var subject in _subjects)
        {
            if (_query.Evaluate(subject).Count > 0)
            {
                pass++;
            }
        }

        return pass;
    }

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int JavaScriptPredicate()
    {
        var pass = 0;
        foreach (var subject in _subjects)
        {
            _context.Subject = subject;
            if (_runner.Run(_predicate, _context).Outcome == PredicateOutcome.Pass)
            {
                pass++;
            }
        }

        return pass;
    }

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int MarshalLazyView()
    {
        var engine = _sandbox.Engine;
        var pass = 0;
        foreach (var subject in _subjects)
        {
            if (engine.Call(_function, JsValue.Undefined, [JsonValues.From(engine, subject)]).AsBoolean())
            {
                pass++;
            }
        }

        return pass;
    }

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int MarshalJsonParse()
    {
        var engine = _sandbox.Engine;
        var parser = new Jint.Native.Json.JsonParser(engine);
        var pass = 0;
        foreach (var utf8 in _utf8)
        {
            if (engine.Call(_function, JsValue.Undefined, [parser.Parse((ReadOnlySpan<byte>)utf8)]).AsBoolean())
            {
                pass++;
            }
        }

        return pass;
    }

    [Benchmark(OperationsPerInvoke = FreshEngineSubjects)]
    public int FreshEnginePerCall()
    {
        var pass = 0;
        for (var i = 0; i < FreshEngineSubjects; i++)
        {
            _context.Subject = _subjects[i];
            if (new SandboxEngine(ScriptSandboxOptions.Default).Run(_predicate, _context, default).Outcome == PredicateOutcome.Pass)
            {
                pass++;
            }
        }

        return pass;
    }

    [Benchmark(OperationsPerInvoke = AbortSubjects)]
    public int InsufficientDataAbort()
    {
        var insufficient = 0;
        for (var i = 0; i < AbortSubjects; i++)
        {
            _failedInputContext.Subject = _subjects[i];
            if (_runner.Run(_abortPredicate, _failedInputContext).Outcome == PredicateOutcome.InsufficientData)
            {
                insufficient++;
            }
        }

        return insufficient;
    }

    internal sealed class BenchContext : IPredicateContext
    {
        private static readonly Dictionary<string, EvidenceView> NoInputs = [];

        public JsonElement Subject { get; set; }

        public string? Account => "111111111111";

        public string? Region => "eu-west-1";

        public IReadOnlyList<string> Roles { get; } = ["securityTooling"];

        public JsonElement? Organization => null;

        public JsonElement? AccountRoles => null;

        public IReadOnlyDictionary<string, EvidenceView> Inputs { get; init; } = NoInputs;

        public EvidenceView Evidence(string inputName, string? account, string? region, IReadOnlyDictionary<string, string>? parameters)
            => new(EvidenceStatus.Missing, null, null, null, inputName);

        public IReadOnlyList<JsonElement> Resources(string resourceType) => [];
    }
}
