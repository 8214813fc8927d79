namespace PolicyEngine.Scripting.Tests;

/// <summary>What a predicate may return, and what happens when it returns anything else or throws.</summary>
public class ResultTests
{
    [Theory]
    [InlineData("return true;", PredicateOutcome.Pass, null, null)]
    [InlineData("return false;", PredicateOutcome.Fail, null, null)]
    [InlineData("return { pass: true };", PredicateOutcome.Pass, null, null)]
    [InlineData("return { pass: false, message: 'no detector', path: \"$['DetectorIds']\" };", PredicateOutcome.Fail, "no detector", "$['DetectorIds']")]
    [InlineData("return { pass: true, message: null, path: undefined };", PredicateOutcome.Pass, null, null)]
    [InlineData("return { notApplicable: true, message: 'not a member account' };", PredicateOutcome.NotApplicable, "not a member account", null)]
    [InlineData("return { notApplicable: false, pass: true };", PredicateOutcome.Pass, null, null)]
    [InlineData("return { insufficientData: true, message: 'the bucket is not in the snapshot' };", PredicateOutcome.InsufficientData, "the bucket is not in the snapshot", null)]
    [InlineData("return { insufficientData: true, pass: true };", PredicateOutcome.InsufficientData, null, null)]
    public void Accepted_results(string body, PredicateOutcome outcome, string? message, string? path)
    {
        Assert.Equal(new PredicateResult(outcome, message, path, null), Sandbox.Run(body));
    }

    [Theory]
    [InlineData("return 1;", "predicate returned number; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return 'true';", "predicate returned string; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("", "predicate returned undefined; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return null;", "predicate returned null; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return [true];", "predicate returned an array; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return () => true;", "predicate returned a function; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return 1n;", "predicate returned bigint; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return Symbol('x');", "predicate returned symbol; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return Promise.resolve(true);", "predicate returned an object; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return new Proxy({ pass: true }, {});", "predicate returned an object; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return new Boolean(true);", "predicate returned an object; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return {};", "predicate returned an object whose 'pass' is undefined; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return { pass: 1 };", "predicate returned an object whose 'pass' is number; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return { get pass() { while (true) { } } };", "predicate returned an object whose 'pass' is undefined; expected a boolean or an object {pass, message?, path?}")]
    [InlineData("return { pass: true, message: 42 };", "predicate returned an object whose 'message' is number; expected a string")]
    [InlineData("return { pass: false, path: ['$'] };", "predicate returned an object whose 'path' is an array; expected a string")]
    public void Wrong_return_type_is_PE3104(string body, string message)
    {
        Sandbox.AssertError(Sandbox.Run(body), "PE3104", message);
    }

    [Fact]
    public void Thrown_error_reports_its_message_and_script_position()
    {
        Sandbox.AssertError(Sandbox.Run("const d = ctx.subject.Detector;\n  return d.Status === 'ENABLED';"),
            "PE3101", "predicate threw TypeError: Cannot read properties of undefined (reading 'Status') (line 2, column 12)");
    }

    [Fact]
    public void Thrown_custom_error()
    {
        Sandbox.AssertError(Sandbox.Run("throw new RangeError('bad input');"), "PE3101", "predicate threw RangeError: bad input (line 1, column 7)");
    }

    [Fact]
    public void Thrown_primitive()
    {
        Sandbox.AssertError(Sandbox.Run("throw 'nope';"), "PE3101", "predicate threw nope (line 1, column 7)");
    }

    [Fact]
    public void Thrown_object_with_hostile_toString_runs_only_inside_the_limits()
    {
        // Jint renders the thrown value while the call is still under its limits; the runtime itself never runs it.
        var options = ScriptSandboxOptions.Default with { TimeoutMs = 60_000, MaxStatements = 10_000 };
        Sandbox.AssertError(Sandbox.Run("throw { get message() { while (true) { } }, toString() { while (true) { } } };", options: options),
            "PE3103", "predicate exceeded the statement limit of 10000 statements (maxStatements)");
    }
}
