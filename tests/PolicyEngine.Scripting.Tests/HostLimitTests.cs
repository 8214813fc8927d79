namespace PolicyEngine.Scripting.Tests;

/// <summary>
/// Host code and native built-ins obey the call's limits: what they would build is charged to the call's budget
/// before they build it. Limits are small so each test is fast; outcomes are asserted, never elapsed time.
/// </summary>
public class HostLimitTests
{
    private const string MemoryMessage = "predicate exceeded the memory limit of 8388608 bytes (memoryLimitBytes)";

    // The wall-clock limit is generous so that, on a loaded machine, only the memory limit can fire.
    private static readonly ScriptSandboxOptions Tight = new()
    {
        TimeoutMs = 60_000,
        MaxStatements = 100_000_000,
        MemoryLimitBytes = 8 * 1024 * 1024,
    };

    [Theory]
    [InlineData("let o = {}; for (let i = 0; i < 30; i++) o = { a: o, b: o }; JSON.stringify(o); return true;")]
    [InlineData("let o = {}; for (let i = 0; i < 30; i++) o = { a: o, b: o }; ctx.query(o, '$'); return true;")]
    [InlineData("let o = [1]; for (let i = 0; i < 30; i++) o = [o, o]; return JSON.stringify({ x: o }).length > 0;")]
    public void Serializing_a_doubling_dag_stops_at_the_memory_limit(string body)
    {
        Sandbox.AssertError(Sandbox.Run(body, options: Tight), "PE3105", MemoryMessage);
    }

    [Theory]
    [InlineData("$..*..*..*")]
    [InlineData("$..*..*..*..*")]
    [InlineData("$..[?@..a..b]")]
    public void Querying_a_dag_of_2_to_the_14_leaves_stops_at_the_memory_limit_and_does_not_pass(string query)
    {
        // The document is only 32,767 nodes, but the query selects millions of them (issue 15, defect 4): the
        // evaluator's work is counted against the call's memory limit, so it stops after a fixed number of nodes.
        var body = "let o = {}; for (let i = 0; i < 14; i++) o = { a: o, b: o }; return ctx.query(o, '" + query + "').length >= 0;";
        Sandbox.AssertError(Sandbox.Run(body, options: Tight), "PE3105", MemoryMessage);
    }

    [Fact]
    public void Querying_within_the_budget_returns_every_node()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "let o = {}; for (let i = 0; i < 6; i++) o = { a: o, b: o }; return ctx.query(o, '$..*..*').length === 516;", options: Tight));
    }

    [Theory]
    [InlineData("return 'a'.repeat(2 ** 24).replace(/a/g, 'bb').length > 0;")]
    [InlineData("const s = 'a'.repeat(2 ** 21); return s.replace(/a/g, 'bb').length > 0;")]
    [InlineData("const s = 'a'.repeat(2 ** 21); return s.replaceAll('a', 'bb').length > 0;")]
    [InlineData("return 'a'.padStart(2 ** 24, 'b').length > 0;")]
    [InlineData("return new Array(100000).fill('x'.repeat(1000)).join(',').length > 0;")]
    [InlineData("return new Array(10000000).length > 0;")]
    public void Native_built_ins_that_would_build_past_the_limit_stop_with_PE3105(string body)
    {
        Sandbox.AssertError(Sandbox.Run(body, options: Tight), "PE3105", MemoryMessage);
    }

    [Theory]
    [InlineData("return JSON.stringify({ a: [1, 'x', { b: null }] }) === '{\"a\":[1,\"x\",{\"b\":null}]}';")]
    [InlineData("return 'ab'.repeat(3) === 'ababab' && 'a'.padStart(3, '-') === '--a' && 'a-a'.replace(/a/g, 'b') === 'b-b';")]
    [InlineData("return [1, 2, 3].join('+') === '1+2+3' && 'aXa'.replaceAll('a', 'y') === 'yXy' && 'a'.padEnd(2) === 'a ';")]
    [InlineData("const o = {}; o.self = o; try { JSON.stringify(o); return false; } catch (e) { return e instanceof TypeError; }")]
    [InlineData("return !Object.keys(String.prototype).includes('repeat') && !Object.keys(Array.prototype).includes('join');")]
    public void Guarded_built_ins_behave_as_before_within_the_limit(string body)
    {
        Sandbox.AssertPass(Sandbox.Run(body, options: Tight));
    }

    [Fact]
    public void Date_is_the_snapshot_collection_time()
    {
        var context = new TestContext { CollectedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero) };
        Sandbox.AssertPass(Sandbox.Run(
            "return new Date().toISOString() === '2026-11-30T12:00:00.000Z' && Date.now() === Date.UTC(2026, 10, 30, 12) && new Date().getHours() === 12;",
            context));
        Sandbox.AssertPass(Sandbox.Run("return Date.now() === 0;", new TestContext()));
    }

    [Fact]
    public void Math_random_is_refused()
    {
        var result = Sandbox.Run("return Math.random() < 2;");
        Assert.Equal((PredicateOutcome.Error, "PE3101"), (result.Outcome, result.ErrorCode));
        Assert.Equal("predicate threw TypeError: Math.random is not available in predicates: evaluation must give the same result every run (line 1, column 1)", result.Message);
    }

    [Fact]
    public void A_fresh_engine_is_built_outside_a_tight_time_budget()
    {
        // Each new thread builds its own engine; building it must not count against the first call's 20 ms.
        var options = ScriptSandboxOptions.Default with { TimeoutMs = 20 };
        var predicate = Sandbox.Compile("return true;", options);
        var results = new PredicateResult[4];
        var threads = Enumerable.Range(0, results.Length).Select(i => new Thread(() => results[i] = new PredicateRunner(options).Run(predicate, new TestContext()))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(results, Sandbox.AssertPass);
    }
}

public class MessageCapTests
{
    [Fact]
    public void A_huge_message_is_cut_and_says_so()
    {
        var result = Sandbox.Run("return { pass: false, message: 'm'.repeat(100000) };");
        Assert.Equal(PredicateOutcome.Fail, result.Outcome);
        Assert.Equal(new string('m', 4096) + "... (cut: 100,000 characters, the limit is 4,096)", result.Message);
    }

    [Fact]
    public void A_huge_thrown_message_is_cut_and_says_so()
    {
        var result = Sandbox.Run("throw new Error('e'.repeat(50000));");
        Assert.Equal("PE3101", result.ErrorCode);
        Assert.StartsWith("predicate threw Error: " + new string('e', 4089) + "... (cut: 50,007 characters, the limit is 4,096)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_message_is_kept_whole()
    {
        Assert.Equal("short", Sandbox.Run("return { pass: false, message: 'short' };").Message);
    }
}
