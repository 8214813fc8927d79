namespace PolicyEngine.Scripting.Tests;

/// <summary>
/// An InsufficientData abort or an uncaught JavaScript error keeps the thread's engine (no rebuild), and nothing of the
/// aborted call survives into the next one: no call-stack frames, no execution contexts, no queued promise jobs.
/// </summary>
public class AbortRecoveryTests
{
    // A generous clock: these tests are about state after an abort, and a loaded CI machine must not turn a healthy
    // call into a timeout. The one test about the time limit sets its own.
    private static readonly ScriptSandboxOptions Options = ScriptSandboxOptions.Default with
    {
        TimeoutMs = 60_000,
        MaxStatements = 100_000_000,
        MaxRecursionDepth = 64,
    };

    private static TestContext Context() => new()
    {
        Inputs = new Dictionary<string, EvidenceView>
        {
            ["bad"] = new(EvidenceStatus.Error, null, "AccessDenied", "denied", "svc:Op/111111111111/eu-west-1"),
            ["good"] = TestContext.Ok("svc:Good/111111111111/eu-west-1", """{"ok":true}"""),
        },
    };

    // Each aborts from a different depth and construct: nested calls, try/finally, a generator, an array callback,
    // a getter, a class constructor, Set.prototype.forEach and a JSON.stringify replacer.
    public static TheoryData<string> Aborts => new()
    {
        "function f(n) { return n === 0 ? ctx.inputs.bad : f(n - 1); } return f(40);",
        "try { try { return ctx.inputs.bad; } finally { void 0; } } catch (e) { return true; }",
        "function* g() { yield 1; yield ctx.inputs.bad; } return [...g()].length > 0;",
        "return [1, 2, 3].map((x) => x === 2 ? ctx.inputs.bad : x).length === 3;",
        "const o = { get x() { return ctx.inputs.bad; } }; return o.x !== null;",
        "class A { constructor() { this.v = ctx.inputs.bad; } } return new A().v !== null;",
        "const s = new Set([1]); s.forEach(() => ctx.inputs.bad); return true;",
        "return JSON.stringify({ a: 1 }, (k, v) => k === 'a' ? ctx.inputs.bad : v) !== '';",
    };

    [Theory]
    [MemberData(nameof(Aborts))]
    public void Abort_keeps_the_engine_and_leaves_no_state(string body)
    {
        var runner = new PredicateRunner(Options);

        // Recursion budget: one below the limit must pass after the aborts exactly as before; a leaked frame would
        // make it fail. The stack depth seen by a fresh Error must not grow either.
        var deep = Sandbox.Compile("function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } return f(61) === 61;", Options);
        var stack = Sandbox.Compile("const lines = new Error('x').stack.split('\\n').length; return { pass: true, message: String(lines) };", Options);
        var tooDeep = Sandbox.Compile("function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } return f(70) === 70;", Options);
        var healthy = Sandbox.Compile("return ctx.inputs.good.ok === true && ctx.subject.a === 1;", Options);
        var abort = Sandbox.Compile(body, Options);

        Sandbox.AssertPass(runner.Run(deep, Context()));
        var stackBefore = runner.Run(stack, Context()).Message;
        var engine = PredicateRunner.CurrentThreadEngine;
        Assert.NotNull(engine);

        for (var i = 0; i < 5; i++)
        {
            var result = runner.Run(abort, Context());
            Assert.Equal(
                new PredicateResult(PredicateOutcome.InsufficientData, "evidence 'svc:Op/111111111111/eu-west-1' is error: AccessDenied denied", null, null),
                result);
        }

        Assert.Same(engine, PredicateRunner.CurrentThreadEngine);
        Assert.False(engine.Retired);
        Sandbox.AssertPass(runner.Run(deep, Context()));
        Assert.Equal(stackBefore, runner.Run(stack, Context()).Message);
        Sandbox.AssertError(runner.Run(tooDeep, Context()), "PE3106", "predicate exceeded the recursion depth limit of 64 calls (maxRecursionDepth)");
        Sandbox.AssertPass(runner.Run(healthy, new TestContext("""{"a":1}""") { Inputs = Context().Inputs }));
    }

    [Theory]
    [InlineData("Promise.resolve().then(() => { while (true) { } }); return ctx.inputs.bad;", PredicateOutcome.InsufficientData)]
    [InlineData("Promise.resolve().then(() => { while (true) { } }); throw new Error('x');", PredicateOutcome.Error)]
    [InlineData("Promise.resolve().then(() => ctx.inputs.bad); throw new Error('x');", PredicateOutcome.Error)]
    [InlineData("Promise.resolve().then(() => { throw new Error('late'); }); return ctx.inputs.bad;", PredicateOutcome.InsufficientData)]
    public void Promise_jobs_queued_before_an_abort_never_run_in_the_next_call(string body, PredicateOutcome outcome)
    {
        var runner = new PredicateRunner(Options);
        Assert.Equal(outcome, runner.Run(Sandbox.Compile(body, Options), Context()).Outcome);

        // The next call on this thread sees none of it: no timeout from the looping job, no InsufficientData from
        // a job reading the earlier call's inputs.
        Sandbox.AssertPass(runner.Run(Sandbox.Compile("return ctx.inputs.good.ok === true;", Options), Context()));
        Sandbox.AssertPass(runner.Run(Sandbox.Compile("return true;", Options), new TestContext()));
    }

    [Fact]
    public void Thrown_error_is_reported_as_thrown_before_leftover_jobs_run()
    {
        var runner = new PredicateRunner(Options);
        var result = runner.Run(Sandbox.Compile("const e = new Error('first'); Promise.resolve().then(() => { e.message = 'changed'; }); throw e;", Options), Context());
        Assert.Equal("PE3101", result.ErrorCode);
        Assert.StartsWith("predicate threw Error: first", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_still_retire_the_engine()
    {
        var options = Options with { TimeoutMs = 300 };
        var runner = new PredicateRunner(options);
        Sandbox.AssertPass(runner.Run(Sandbox.Compile("return true;", options), new TestContext()));
        var engine = PredicateRunner.CurrentThreadEngine!;
        Sandbox.AssertError(runner.Run(Sandbox.Compile("while (true) { }", options), new TestContext()), "PE3102", "predicate exceeded the time limit of 300 ms (timeoutMs)");
        Assert.True(engine.Retired);
        Sandbox.AssertPass(runner.Run(Sandbox.Compile("return true;", options), new TestContext()));
        Assert.NotSame(engine, PredicateRunner.CurrentThreadEngine);
    }

    [Fact]
    public void Engine_is_reused_across_successful_calls_and_predicates()
    {
        var runner = new PredicateRunner(Options);
        var a = Sandbox.Compile("return ctx.subject.a === 1;", Options);
        var b = Sandbox.Compile("return ctx.subject.a === 2;", Options);
        var subject = new TestContext("""{"a":1}""");
        for (var i = 0; i < 3; i++)
        {
            Sandbox.AssertPass(runner.Run(a, subject));
            Assert.Equal(PredicateOutcome.Fail, runner.Run(b, subject).Outcome);
        }
    }
}
