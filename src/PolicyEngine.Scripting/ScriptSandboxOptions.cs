using System.Globalization;

namespace PolicyEngine.Scripting;

/// <summary>
/// Limits applied to every predicate call. Immutable; <see cref="Default"/> is safe for untrusted rule packs.
/// </summary>
/// <remarks>
/// Every limit has a validated, finite range. Jint treats <c>int.MaxValue</c>, <c>long.MaxValue</c> and non-positive
/// values as "no limit", so the ranges below deliberately exclude them: a configuration can make a limit larger,
/// never remove it. Limits apply to one predicate call (one subject), not to a whole rule pack.
/// </remarks>
public sealed record ScriptSandboxOptions
{
    /// <summary>Smallest and largest accepted <see cref="TimeoutMs"/>.</summary>
    public const int MinTimeoutMs = 1, MaxTimeoutMs = 60_000;

    /// <summary>Smallest and largest accepted <see cref="MaxStatements"/>.</summary>
    public const int MinMaxStatements = 100, MaxMaxStatements = 100_000_000;

    /// <summary>Smallest and largest accepted <see cref="MemoryLimitBytes"/> (1 MiB to 1 GiB).</summary>
    public const long MinMemoryLimitBytes = 1L << 20, MaxMemoryLimitBytes = 1L << 30;

    /// <summary>Smallest and largest accepted <see cref="MaxRecursionDepth"/>.</summary>
    public const int MinRecursionDepth = 8, MaxRecursionDepthLimit = 10_000;

    /// <summary>Smallest and largest accepted <see cref="RegexTimeoutMs"/>.</summary>
    public const int MinRegexTimeoutMs = 1, MaxRegexTimeoutMs = 10_000;

    /// <summary>Smallest and largest accepted <see cref="MaxSourceLength"/> (characters).</summary>
    public const int MinSourceLength = 16, MaxSourceLengthLimit = 1024 * 1024;

    /// <summary>
    /// CPU time the evaluating thread may spend in one predicate call, host calls included, in milliseconds. It is the
    /// thread's CPU time rather than the wall clock, so that load from other processes does not change findings.
    /// </summary>
    /// <value>Default 1000; accepted 1 to 60000.</value>
    public int TimeoutMs { get; init; } = 1000;

    /// <summary>Statements one predicate call may execute.</summary>
    /// <value>Default 1,000,000; accepted 100 to 100,000,000.</value>
    public int MaxStatements { get; init; } = 1_000_000;

    /// <summary>Managed bytes one predicate call may allocate (allocations, not retained heap).</summary>
    /// <value>Default 64 MiB; accepted 1 MiB to 1 GiB.</value>
    public long MemoryLimitBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Depth of nested JavaScript function calls.</summary>
    /// <value>Default 256; accepted 8 to 10000. A native stack guard backs it up when the thread's stack is smaller.</value>
    public int MaxRecursionDepth { get; init; } = 256;

    /// <summary>Time one regular-expression match may take, in milliseconds.</summary>
    /// <value>Default 100; accepted 1 to 10000.</value>
    public int RegexTimeoutMs { get; init; } = 100;

    /// <summary>Longest accepted predicate source, in UTF-16 characters. Checked at compile time.</summary>
    /// <value>Default 65536; accepted 16 to 1048576.</value>
    public int MaxSourceLength { get; init; } = 64 * 1024;

    /// <summary>The safe defaults.</summary>
    public static ScriptSandboxOptions Default { get; } = new();

    /// <summary>
    /// Checks every option against its range.
    /// </summary>
    /// <returns>An empty list when valid; otherwise one message per bad option, naming the option, its range and the value.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Check(errors, "timeoutMs", TimeoutMs, MinTimeoutMs, MaxTimeoutMs);
        Check(errors, "maxStatements", MaxStatements, MinMaxStatements, MaxMaxStatements);
        Check(errors, "memoryLimitBytes", MemoryLimitBytes, MinMemoryLimitBytes, MaxMemoryLimitBytes);
        Check(errors, "maxRecursionDepth", MaxRecursionDepth, MinRecursionDepth, MaxRecursionDepthLimit);
        Check(errors, "regexTimeoutMs", RegexTimeoutMs, MinRegexTimeoutMs, MaxRegexTimeoutMs);
        Check(errors, "maxSourceLength", MaxSourceLength, MinSourceLength, MaxSourceLengthLimit);
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the options are invalid.</summary>
    internal void EnsureValid(string paramName)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid script sandbox options: " + string.Join("; ", errors), paramName);
        }
    }

    private static void Check(List<string> errors, string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (was {value})"));
        }
    }
}
