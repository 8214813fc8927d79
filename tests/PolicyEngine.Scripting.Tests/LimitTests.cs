namespace PolicyEngine.Scripting.Tests;

/// <summary>Each hard limit stops a hostile predicate with its own code, and the runner keeps working.</summary>
public class LimitTests
{
    // The wall-clock limit is generous so that, on a loaded machine, only the limit under test can fire.
    private static readonly ScriptSandboxOptions Tight = new()
    {
        TimeoutMs = 60_000,
        MaxStatements = 100_000_000,
        MemoryLimitBytes = 8 * 1024 * 1024,
        MaxRecursionDepth = 64,
        RegexTimeoutMs = 50,
    };

    private static readonly ScriptSandboxOptions Timed = Tight with { TimeoutMs = 200 };

    [Fact]
    public void Infinite_loop_hits_the_timeout()
    {
        Sandbox.AssertError(Sandbox.Run("while (true) { }", options: Timed), "PE3102", "predicate exceeded the time limit of 200 ms (timeoutMs)");
    }

    [Fact]
    public void Infinite_loop_cannot_catch_the_timeout()
    {
        Sandbox.AssertError(Sandbox.Run("try { while (true) { } } catch (e) { return true; } finally { return true; }", options: Timed),
            "PE3102", "predicate exceeded the time limit of 200 ms (timeoutMs)");
    }

    [Fact]
    public void The_time_limit_counts_the_threads_cpu_time_not_time_spent_waiting()
    {
        // 300 host calls that each wait 1 ms take over 300 ms of wall-clock time and almost no CPU time. A busy machine
        // or a GC pause stretches wall-clock time the same way, and must not turn a verdict into PE3102.
        Assert.True(Internal.ThreadCpuClock.MeasuresCpuTime || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsWindows()));
        var context = new TestContext { OnEvidence = () => Thread.Sleep(1) };
        Sandbox.AssertPass(Sandbox.Run(
            "for (let i = 0; i < 300; i++) { ctx.tryEvidence('detectors', { region: 'r' + i }); } return true;", context, Tight with { TimeoutMs = 100 }));
        Assert.Equal(300, context.EvidenceCalls.Count);
    }

    [Fact]
    public void Statement_limit_stops_a_long_loop()
    {
        var options = Tight with { MaxStatements = 1000 };
        Sandbox.AssertError(Sandbox.Run("let i = 0; while (true) { i++; }", options: options), "PE3103", "predicate exceeded the statement limit of 1000 statements (maxStatements)");
    }

    [Fact]
    public void Huge_allocation_hits_the_memory_limit()
    {
        Sandbox.AssertError(Sandbox.Run("let s = 'x'; while (true) { s = s + s; }", options: Tight), "PE3105", "predicate exceeded the memory limit of 8388608 bytes (memoryLimitBytes)");
    }

    [Fact]
    public void Huge_array_hits_the_memory_limit()
    {
        Sandbox.AssertError(Sandbox.Run("const a = []; while (true) { a.push({ x: a.length }); }", options: Tight), "PE3105", "predicate exceeded the memory limit of 8388608 bytes (memoryLimitBytes)");
    }

    [Fact]
    public void Deep_recursion_hits_the_recursion_limit()
    {
        Sandbox.AssertError(Sandbox.Run("function f(n) { return f(n + 1) + 1; } try { return f(0) > 0; } catch (e) { return true; }", options: Tight),
            "PE3106", "predicate exceeded the recursion depth limit of 64 calls (maxRecursionDepth)");
    }

    [Fact]
    public void Recursion_within_the_limit_runs()
    {
        Sandbox.AssertPass(Sandbox.Run("function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } return f(50) === 50;", options: Tight));
    }

    [Fact]
    public void Catastrophic_regex_hits_the_regex_timeout()
    {
        Sandbox.AssertError(Sandbox.Run("try { return /^(a+)+$/.test('a'.repeat(40) + '!'); } catch (e) { return true; }", options: Tight),
            "PE3107", "a regular expression in the predicate exceeded the regex time limit of 50 ms (regexTimeoutMs)");
    }

    [Fact]
    public void Already_cancelled_token_returns_cancelled()
    {
        Sandbox.AssertError(Sandbox.Run("return true;", cancellationToken: new CancellationToken(canceled: true)), "PE3108", "predicate evaluation was cancelled");
    }

    [Fact]
    public void Cancellation_during_a_run_stops_it()
    {
        using var source = new CancellationTokenSource();
        var context = new CancellingContext(source);
        var options = Tight;
        Sandbox.AssertError(Sandbox.Run("ctx.resources('cancel'); while (true) { }", context, options, source.Token), "PE3108", "predicate evaluation was cancelled");
    }

    [Fact]
    public void Runner_keeps_working_after_every_kind_of_limit()
    {
        // A generous time limit: the point is recovery, and a loaded CI machine must not turn the healthy call into a timeout.
        var options = Tight with { TimeoutMs = 2000 };
        var runner = new PredicateRunner(options);
        var hostile = new[] { "while (true) { }", "let s = 'x'; while (true) { s = s + s; }", "function f() { return f(); } return f();", "return /^(a+)+$/.test('a'.repeat(40) + '!');" };
        var ok = Sandbox.Compile("return ctx.subject.ok === true;", options);
        foreach (var body in hostile)
        {
            Assert.Equal(PredicateOutcome.Error, runner.Run(Sandbox.Compile(body, options), new TestContext()).Outcome);
            Sandbox.AssertPass(runner.Run(ok, new TestContext("""{"ok":true}""")));
        }
    }

    /// <summary>Cancels its token when the predicate asks for resources, so the cancellation lands mid-run.</summary>
    private sealed class CancellingContext(CancellationTokenSource source) : IPredicateContext
    {
        private readonly TestContext _inner = new();

        public System.Text.Json.JsonElement Subject => _inner.Subject;

        public string? Account => null;

        public string? Region => null;

        public IReadOnlyList<string> Roles => [];

        public System.Text.Json.JsonElement? Organization => null;

        public System.Text.Json.JsonElement? AccountRoles => null;

        public IReadOnlyDictionary<string, EvidenceView> Inputs => _inner.Inputs;

        public EvidenceView Evidence(string inputName, string? account, string? region, IReadOnlyDictionary<string, string>? parameters) => _inner.Evidence(inputName, account, region, parameters);

        public IReadOnlyList<System.Text.Json.JsonElement> Resources(string resourceType)
        {
            source.Cancel();
            return [];
        }
    }

    [Fact]
    public void An_engine_prepared_with_other_limits_is_never_used()
    {
        // evaluate prepares an engine ahead of the first predicate; a runner with other limits must not run on it.
        var strict = Tight with { MaxStatements = 1000 };
        PredicateRunner.PrepareEngine(Tight);
        PredicateResult? result = null;
        ScriptSandboxOptions? used = null;
        var thread = new Thread(() =>
        {
            result = new PredicateRunner(strict).Run(Sandbox.Compile("let i = 0; while (true) { i++; }", strict), new TestContext());
            used = PredicateRunner.CurrentThreadEngine!.Options;
        });
        thread.Start();
        thread.Join();

        Assert.Equal(strict, used);
        Sandbox.AssertError(result!, "PE3103", "predicate exceeded the statement limit of 1000 statements (maxStatements)");
    }
}
