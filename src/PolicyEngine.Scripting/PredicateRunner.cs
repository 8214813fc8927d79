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

    // An engine being built ahead of the first call (PrepareEngine), taken by the first thread that needs one.
    private static Task<SandboxEngine>? s_prepared;

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

    /// <summary>
    /// Starts building one hardened engine on a thread-pool thread, for the first thread that runs a predicate with
    /// equal options. Building the first engine of a process is a quarter of a second of mostly JIT work (the engine's
    /// setup script and freezing every intrinsic); a caller that has other start-up work (compiling the rule pack)
    /// overlaps the two on a second core. A thread that finds no prepared engine builds its own, as before.
    /// </summary>
    /// <param name="options">Limits of the runs the engine will serve.</param>
    public static void PrepareEngine(ScriptSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate().Count > 0)
        {
            // Invalid limits are the configuration's diagnostic to report; no engine is built for them.
            return;
        }

        Volatile.Write(ref s_prepared, Task.Run(() => new SandboxEngine(options)));
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
            engine = t_engine = TakePrepared() ?? new SandboxEngine(_options);
        }
        else if (engine.InUse)
        {
            // Re-entered from a context callback on this thread: never share a busy engine.
            engine = new SandboxEngine(_options);
        }

        return engine.Run(predicate, context, cancellationToken);
    }

    /// <summary>The prepared engine, once, waiting for it if it is still being built; null when there is none for these options.</summary>
    private SandboxEngine? TakePrepared()
    {
        var prepared = Volatile.Read(ref s_prepared);
        if (prepared is null || Interlocked.CompareExchange(ref s_prepared, null, prepared) != prepared)
        {
            return null;
        }

        // A failed build is left to this thread's own attempt, which reports the failure where it always did.
        Task.WaitAny(prepared);
        return prepared.IsCompletedSuccessfully && prepared.Result.Options.Equals(_options) ? prepared.Result : null;
    }
}
