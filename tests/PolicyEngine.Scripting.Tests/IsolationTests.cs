namespace PolicyEngine.Scripting.Tests;

/// <summary>One predicate call cannot see or change the state of another, on the same engine.</summary>
public class IsolationTests
{
    private readonly PredicateRunner _runner = new(ScriptSandboxOptions.Default);

    private PredicateResult Run(string body, string subject = "{}") => _runner.Run(Sandbox.Compile(body), new TestContext(subject));

    [Theory]
    [InlineData("globalThis.leak = 1;", "TypeError: Cannot assign to read only property 'leak' of Object", "return typeof leak === 'undefined' && !('leak' in globalThis);")]
    [InlineData("leak = 1;", "ReferenceError: leak is not defined", "return typeof leak === 'undefined';")]
    [InlineData("Object.prototype.x = 1;", "TypeError: Cannot assign to read only property 'x' of Object", "return ({}).x === undefined && typeof x === 'undefined';")]
    [InlineData("Object.defineProperty(Object.prototype, 'x', { get() { return 1; } });", "TypeError: Cannot redefine property: x", "return ({}).x === undefined;")]
    [InlineData("Array.prototype.includes = () => true;", "TypeError: Cannot assign to read only property 'includes' of Object", "return [].includes(1) === false;")]
    [InlineData("Object.prototype.toString = () => 'x';", "TypeError: Cannot assign to read only property 'toString' of Object", "return String({}) === '[object Object]';")]
    [InlineData("JSON.parse = () => 1;", "TypeError: Cannot assign to read only property 'parse' of Object", "return JSON.parse('2') === 2;")]
    [InlineData("Function.prototype.call = null;", "TypeError: Cannot assign to read only property 'call' of Object", "return typeof Function.prototype.call === 'function';")]
    [InlineData("Object.getPrototypeOf(function* () { }).prototype.next = null;", "TypeError: Cannot assign to read only property 'next' of Object", "return (function* () { yield 1; })().next().value === 1;")]
    [InlineData("Object.getPrototypeOf([][Symbol.iterator]()).next = null;", "TypeError: Cannot assign to read only property 'next' of Object", "return [...[1, 2]].length === 2;")]
    [InlineData("Object.setPrototypeOf(Array.prototype, { polluted: 1 });", "TypeError: #<Object> is not extensible", "return [].polluted === undefined;")]
    [InlineData("delete Array.prototype.map;", "TypeError: Cannot delete property 'map' of Object", "return typeof [].map === 'function';")]
    public void Pollution_fails_and_does_not_reach_the_next_call(string pollute, string error, string check)
    {
        var first = Run(pollute + " return true;");
        Assert.Equal(PredicateOutcome.Error, first.Outcome);
        Assert.Equal("PE3101", first.ErrorCode);
        Assert.StartsWith("predicate threw " + error, first.Message, StringComparison.Ordinal);
        Assert.Equal(PredicateOutcome.Pass, Run(check).Outcome);
    }

    [Fact]
    public void Pollution_attempt_by_one_rule_is_invisible_to_another_rule()
    {
        var polluter = Sandbox.Compile("try { Object.prototype.isCompliant = true; } catch (e) { } return false;");
        var victim = Sandbox.Compile("return ctx.subject.isCompliant === true;");
        var context = new TestContext();
        Assert.Equal(PredicateOutcome.Fail, _runner.Run(polluter, context).Outcome);
        Assert.Equal(PredicateOutcome.Fail, _runner.Run(victim, context).Outcome);
    }

    [Fact]
    public void Legacy_regexp_statics_do_not_reveal_the_previous_match()
    {
        Sandbox.AssertPass(Run("return /(secret-[0-9]+)/.test(ctx.subject.s);", """{"s":"secret-42"}"""));
        Sandbox.AssertPass(Run("return RegExp.$1 === undefined && RegExp.lastMatch === undefined && RegExp.input === undefined;"));
    }

    [Fact]
    public void Local_variables_and_closures_do_not_survive_the_call()
    {
        var predicate = Sandbox.Compile("let count = 0; const bump = () => ++count; bump(); return count === 1;");
        for (var i = 0; i < 3; i++)
        {
            Sandbox.AssertPass(_runner.Run(predicate, new TestContext()));
        }
    }

    [Theory]
    [InlineData("ctx.subject = {};", "TypeError: Cannot assign to read only property 'subject' of Object")]
    [InlineData("ctx.subject.a = 2;", "TypeError: Cannot assign to read only property 'a' of Object")]
    [InlineData("ctx.subject.b = 2;", "TypeError: Cannot assign to read only property 'b' of Object")]
    [InlineData("delete ctx.subject.a;", "TypeError: Cannot delete property 'a' of Object")]
    [InlineData("ctx.subject.list.push(4);", "TypeError: Cannot assign to read only property '3' of object '#<Object>'")]
    [InlineData("ctx.subject.list[0] = 9;", "TypeError: Cannot assign to read only property '0' of Object")]
    [InlineData("ctx.subject.nested.deep = 0;", "TypeError: Cannot assign to read only property 'deep' of Object")]
    [InlineData("ctx.roles.push('management');", "TypeError: Cannot assign to read only property '1' of object '#<Object>'")]
    [InlineData("Object.defineProperty(ctx, 'x', { value: 1 });", "TypeError: Cannot redefine property: x")]
    [InlineData("Object.setPrototypeOf(ctx.subject, { evil: 1 });", "TypeError: #<Object> is not extensible")]
    [InlineData("ctx.evidence.x = 1;", "TypeError: Cannot assign to read only property 'x' of Object")]
    public void Context_and_subject_are_frozen(string mutation, string error)
    {
        const string Subject = """{"a":1,"list":[1,2,3],"nested":{"deep":1}}""";
        var result = Run(mutation + " return true;", Subject);
        Assert.Equal(PredicateOutcome.Error, result.Outcome);
        Assert.StartsWith("predicate threw " + error, result.Message, StringComparison.Ordinal);
        Sandbox.AssertPass(Run("return ctx.subject.a === 1 && ctx.subject.list.length === 3 && ctx.subject.nested.deep === 1 && ctx.roles.length === 1;", Subject));
    }

    [Fact]
    public void Context_reports_itself_frozen()
    {
        Sandbox.AssertPass(Run(
            "return [ctx, ctx.subject, ctx.subject.list, ctx.subject.list[0], ctx.roles, ctx.inputs, ctx.evidence].every(Object.isFrozen);",
            """{"list":[{"x":1}]}"""));
    }

    [Fact]
    public void Pending_promise_jobs_run_inside_their_own_call()
    {
        var options = ScriptSandboxOptions.Default with { TimeoutMs = 200, MaxStatements = 100_000_000 };
        var runner = new PredicateRunner(options);
        var first = runner.Run(Sandbox.Compile("Promise.resolve().then(() => { while (true) { } }); return true;", options), new TestContext());
        Sandbox.AssertError(first, "PE3102", "predicate exceeded the time limit of 200 ms (timeoutMs)");
        Sandbox.AssertPass(runner.Run(Sandbox.Compile("return true;", options), new TestContext()));
    }
}
