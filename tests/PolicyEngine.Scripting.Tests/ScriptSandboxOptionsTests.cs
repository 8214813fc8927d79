namespace PolicyEngine.Scripting.Tests;

public class ScriptSandboxOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_safe()
    {
        var options = ScriptSandboxOptions.Default;
        Assert.Empty(options.Validate());
        Assert.Equal(1000, options.TimeoutMs);
        Assert.Equal(1_000_000, options.MaxStatements);
        Assert.Equal(64 * 1024 * 1024, options.MemoryLimitBytes);
        Assert.Equal(256, options.MaxRecursionDepth);
        Assert.Equal(100, options.RegexTimeoutMs);
        Assert.Equal(64 * 1024, options.MaxSourceLength);
    }

    [Fact]
    public void Every_out_of_range_value_is_reported_with_option_range_and_value()
    {
        var options = new ScriptSandboxOptions
        {
            TimeoutMs = 0,
            MaxStatements = int.MaxValue,
            MemoryLimitBytes = long.MaxValue,
            MaxRecursionDepth = -1,
            RegexTimeoutMs = 60_000,
            MaxSourceLength = 0,
        };

        Assert.Equal(
            [
                "timeoutMs must be between 1 and 60000 (was 0)",
                "maxStatements must be between 100 and 100000000 (was 2147483647)",
                "memoryLimitBytes must be between 1048576 and 1073741824 (was 9223372036854775807)",
                "maxRecursionDepth must be between 8 and 10000 (was -1)",
                "regexTimeoutMs must be between 1 and 10000 (was 60000)",
                "maxSourceLength must be between 16 and 1048576 (was 0)",
            ],
            options.Validate());
    }

    [Fact]
    public void Runner_rejects_invalid_options()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PredicateRunner(new ScriptSandboxOptions { TimeoutMs = 70_000 }));
        Assert.Equal("Invalid script sandbox options: timeoutMs must be between 1 and 60000 (was 70000) (Parameter 'options')", ex.Message);
    }

    [Fact]
    public void Compiler_rejects_invalid_options()
    {
        Assert.Throws<ArgumentException>(() => PredicateCompiler.Compile("return true", "x", new ScriptSandboxOptions { MaxSourceLength = 1 }));
    }
}
