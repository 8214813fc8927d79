namespace PolicyEngine.Scripting.Tests;

public class PredicateCompilerTests
{
    [Fact]
    public void Valid_body_compiles_without_diagnostics()
    {
        var compilation = PredicateCompiler.Compile("return ctx.subject.a === 1;", "rules.yaml#/rules/0", Sandbox.Options);
        Assert.Empty(compilation.Diagnostics);
        Assert.NotNull(compilation.Predicate);
        Assert.Equal("rules.yaml#/rules/0", compilation.Predicate.SourceName);
    }

    [Fact]
    public void Syntax_error_on_line_one_reports_script_relative_column()
    {
        var compilation = PredicateCompiler.Compile("return 1 +;", "x", Sandbox.Options);
        Assert.Null(compilation.Predicate);
        Assert.Equal([new ScriptDiagnostic("PE2101", "JavaScript syntax error: Unexpected token ';'", 1, 11)], compilation.Diagnostics);
    }

    [Fact]
    public void Syntax_error_on_a_later_line_reports_exact_line_and_column()
    {
        var compilation = PredicateCompiler.Compile("const a = 1;\nconst b = 2;\n  return a +* b;\n", "x", Sandbox.Options);
        Assert.Equal([new ScriptDiagnostic("PE2101", "JavaScript syntax error: Unexpected token '*'", 3, 13)], compilation.Diagnostics);
    }

    [Fact]
    public void Unclosed_block_points_just_past_the_body()
    {
        var compilation = PredicateCompiler.Compile("if (ctx.subject) {\n  return true;", "x", Sandbox.Options);
        Assert.Equal([new ScriptDiagnostic("PE2101", "JavaScript syntax error: Unexpected token ')'", 2, 15)], compilation.Diagnostics);
    }

    [Fact]
    public void Strict_mode_errors_are_syntax_errors()
    {
        var compilation = PredicateCompiler.Compile("with (ctx) { return true; }", "x", Sandbox.Options);
        Assert.Equal([new ScriptDiagnostic("PE2101", "JavaScript syntax error: Strict mode code may not include a with statement", 1, 1)], compilation.Diagnostics);
    }

    [Fact]
    public void Body_cannot_close_the_wrapper_function()
    {
        var compilation = PredicateCompiler.Compile("return true; }), (function (ctx) { return false;", "x", Sandbox.Options);
        Assert.Equal([new ScriptDiagnostic("PE2101", "JavaScript syntax error: unbalanced '}' closes the predicate function", 1, 14)], compilation.Diagnostics);
    }

    [Fact]
    public void Trailing_line_comment_does_not_swallow_the_wrapper()
    {
        Sandbox.AssertPass(Sandbox.Run("return true; // done"));
    }

    [Fact]
    public void Source_longer_than_the_cap_is_rejected()
    {
        var options = new ScriptSandboxOptions { MaxSourceLength = 32 };
        var compilation = PredicateCompiler.Compile("return true; /* " + new string('x', 20) + " */", "x", options);
        Assert.Null(compilation.Predicate);
        Assert.Equal([new ScriptDiagnostic("PE2102", "predicate source is 39 characters long; maxSourceLength is 32", 1, 1)], compilation.Diagnostics);
    }

    [Fact]
    public void Source_at_the_cap_is_accepted()
    {
        var options = new ScriptSandboxOptions { MaxSourceLength = 32 };
        var body = "return true;".PadRight(32);
        Assert.Empty(PredicateCompiler.Compile(body, "x", options).Diagnostics);
    }
}
