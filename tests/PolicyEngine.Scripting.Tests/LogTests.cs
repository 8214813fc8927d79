namespace PolicyEngine.Scripting.Tests;

/// <summary><c>ctx.log</c> and its <c>console</c> aliases: captured per call, capped, isolated, and no way out of the sandbox.</summary>
public class LogTests
{
    [Fact]
    public void Log_calls_are_captured_in_order_with_console_log_as_an_alias()
    {
        var result = Sandbox.Run("""
            ctx.log('region', ctx.region, 3, true, null, undefined);
            console.log({ a: 1, b: [1, 'x', { c: null }] }, [], {});
            console.warn(ctx.subject.Trail, 10n, Symbol('s'), () => 1);
            return true;
            """, new TestContext("""{ "Trail": { "Name": "org", "Arns": ["a", "b"] } }"""));
        Assert.Equal(PredicateOutcome.Pass, result.Outcome);
        Assert.Equal(
            [
                "region eu-west-1 3 true null undefined",
                "{ a: 1, b: [ 1, 'x', { c: null } ] } [] {}",
                "{ Name: 'org', Arns: [ 'a', 'b' ] } 10n Symbol(s) [Function]",
            ],
            result.Logs);
        Assert.Equal(0, result.LogsCut);
    }

    [Fact]
    public void A_call_that_logs_nothing_has_no_logs_and_shares_the_plain_result()
    {
        var result = Sandbox.Run("return false;");
        Assert.Empty(result.Logs);
        Assert.Same(Sandbox.Run("return false;"), result);
    }

    [Fact]
    public void Logs_survive_errors_insufficient_data_and_limits()
    {
        var threw = Sandbox.Run("ctx.log('before'); throw new Error('boom');");
        Assert.Equal("PE3101", threw.ErrorCode);
        Assert.Equal(["before"], threw.Logs);

        var insufficient = Sandbox.Run("ctx.log('reading'); return ctx.evidence('x').a;");
        Assert.Equal(PredicateOutcome.InsufficientData, insufficient.Outcome);
        Assert.Equal(["reading"], insufficient.Logs);

        var limited = Sandbox.Run("ctx.log('looping'); let i = 0; while (true) { i++; }", options: ScriptSandboxOptions.Default with { MaxStatements = 1000, TimeoutMs = 60_000 });
        Assert.Equal("PE3103", limited.ErrorCode);
        Assert.Equal(["looping"], limited.Logs);
    }

    [Fact]
    public void Entries_over_the_count_limit_are_dropped_and_counted()
    {
        var result = Sandbox.Run("for (let i = 0; i < 150; i++) ctx.log(i); return true;");
        Assert.Equal(PredicateLogLimits.MaxEntries, result.Logs.Count);
        Assert.Equal("99", result.Logs[^1]);
        Assert.Equal(50, result.LogsCut);
        Assert.Equal("50 log call(s) cut: a predicate call keeps at most 100 log calls and 8192 characters", PredicateLogLimits.DescribeCut(result.LogsCut));
    }

    [Fact]
    public void Text_over_the_length_limit_is_cut_with_an_ellipsis()
    {
        var result = Sandbox.Run("ctx.log('a'.repeat(5000)); ctx.log('b'.repeat(5000)); ctx.log('c'); return true;");
        Assert.Equal(2, result.Logs.Count);
        Assert.Equal(5000, result.Logs[0].Length);
        Assert.Equal(PredicateLogLimits.MaxCharacters - 5000, result.Logs[1].Length);
        Assert.EndsWith("b…", result.Logs[1], StringComparison.Ordinal);
        Assert.Equal(2, result.LogsCut);
        Assert.Equal(PredicateLogLimits.MaxCharacters, result.Logs.Sum(l => l.Length));
    }

    [Fact]
    public void A_huge_or_cyclic_value_is_cut_without_walking_all_of_it()
    {
        var result = Sandbox.Run("const a = []; a.push(a); const big = new Array(20000).fill(7); ctx.log(a); ctx.log(big); return true;",
            options: ScriptSandboxOptions.Default with { TimeoutMs = 60_000 });
        Assert.Equal(PredicateOutcome.Pass, result.Outcome);
        Assert.Equal("[ [ [ [Array] ] ] ]", result.Logs[0]);
        Assert.Equal(PredicateLogLimits.MaxCharacters, result.Logs.Sum(l => l.Length));
        Assert.Equal(1, result.LogsCut);
    }

    [Fact]
    public void Logging_runs_no_script_getters_proxies_or_toString()
    {
        var result = Sandbox.Run("""
            let ran = 0;
            const o = { get x() { ran++; return 1; }, toString() { ran++; return 'o'; } };
            const p = new Proxy({}, { ownKeys() { ran++; return []; } });
            ctx.log(o, p, new TypeError('bad'));
            return ran === 0;
            """);
        Assert.Equal(PredicateOutcome.Pass, result.Outcome);
        Assert.Equal(["{ x: [Getter], toString: [Function] } [Proxy] TypeError: bad"], result.Logs);
    }

    [Fact]
    public void Logs_do_not_leak_between_calls_or_subjects()
    {
        var runner = new PredicateRunner(Sandbox.Options);
        var predicate = Sandbox.Compile("ctx.log(ctx.account); return true;");
        var first = runner.Run(predicate, new TestContext { Account = "111111111111" });
        var second = runner.Run(predicate, new TestContext { Account = "222222222222" });
        var silent = runner.Run(Sandbox.Compile("return true;"), new TestContext());
        Assert.Equal(["111111111111"], first.Logs);
        Assert.Equal(["222222222222"], second.Logs);
        Assert.Empty(silent.Logs);
    }

    [Fact]
    public void A_log_function_kept_past_its_call_cannot_log_into_a_later_call()
    {
        var runner = new PredicateRunner(Sandbox.Options);
        var result = runner.Run(Sandbox.Compile("Promise.resolve().then(() => { throw 1; }); ctx.log('mine'); throw new Error('x');"), new TestContext());
        Assert.Equal(["mine"], result.Logs);
        var next = runner.Run(Sandbox.Compile("return true;"), new TestContext());
        Assert.Empty(next.Logs);
    }

    [Theory]
    [InlineData("console.log = () => 1; return true;")]
    [InlineData("console.extra = 1; return true;")]
    [InlineData("ctx.log.x = 1; return true;")]
    public void Console_and_log_are_frozen(string body)
    {
        var result = Sandbox.Run(body);
        Assert.Equal("PE3101", result.ErrorCode);
        Assert.StartsWith("predicate threw TypeError", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_gives_no_way_to_host_code()
    {
        var result = Sandbox.Run("return ctx.log.constructor('return this')();");
        Assert.Equal("PE3101", result.ErrorCode);
        Assert.Contains("string compilation", result.Message!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PredicateOutcome.Pass, Sandbox.Run("return ctx.log('x') === undefined && typeof console.log === 'function' && console.log === ctx.log;").Outcome);
    }

    [Fact]
    public void Thrown_errors_and_limits_carry_their_position_in_the_predicate()
    {
        var threw = Sandbox.Run("const a = 1;\nconst b = 2;\n  throw new Error('boom');");
        Assert.Equal((3, 9), (threw.Line, threw.Column));
        Assert.Equal("predicate threw Error: boom (line 3, column 9)", threw.Message);

        var limited = Sandbox.Run("let i = 0;\nwhile (true) {\n  i++;\n}", options: ScriptSandboxOptions.Default with { MaxStatements = 1000, TimeoutMs = 60_000 });
        Assert.Equal("PE3103", limited.ErrorCode);
        Assert.Equal(3, limited.Line);
    }
}
