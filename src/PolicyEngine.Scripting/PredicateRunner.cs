using PolicyEngine.Scripting.Internal;

namespace PolicyEngine.Scripting;

/// <summary>
/// Runs compiled predicates in the sandbox. Thread-safe: each thread uses its own hardened engine, created on first
/// use and kept for later calls.
/// </summary>
public sealed class PredicateRunner
{
    // One engine per thread. Keyed by options (value equality), so runners with equal options share it.
    [ThreadStatic]
    private static SandboxEngine? t_engine;

    private readonly ScriptSandboxOptions _options;

    /// <summary>The calling thread's engine (tests use it to check that an engine is kept or replaced).</summary>
    internal static SandboxEngine? CurrentThreadEngine => t_engine;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">Limits for every call.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> fails <see cref="ScriptSandboxOptions.Validate"/>.</exception>
    public PredicateRunner(ScriptSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));
        _options = options;
    }

    /// <summary>The limits this runner applies.</summary>
    public ScriptSandboxOptions Options => _options;

    /// <summary>
    /// Calls the predicate for one subject. Never throws for anything the script does: errors, limits and cancellation
    /// come back as <see cref="PredicateOutcome.Error"/> with a code from <see cref="ScriptErrorCodes"/>.
    /// </summary>
    public PredicateResult Run(CompiledPredicate predicate, IPredicateContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(context);

        var engine = t_engine;
        if (engine is null || engine.Retired || !(ReferenceEquals(engine.Options, _options) || engine.Options.Equals(_options)))
        {
            engine = t_engine = new SandboxEngine(_options);
        }
        else if (engine.InUse)
        {
            // Re-entered from a context callback on this thread: never share a busy engine.
            engine = new SandboxEngine(_options);
        }

        return engine.Run(predicate, context, cancellationToken);
    }
}
