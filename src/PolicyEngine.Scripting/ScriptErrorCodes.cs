namespace PolicyEngine.Scripting;

/// <summary>Stable diagnostic and result codes produced by the predicate runtime.</summary>
public static class ScriptErrorCodes
{
    /// <summary>Compile: the predicate is not valid JavaScript.</summary>
    public const string SyntaxError = "PE2101";

    /// <summary>Compile: the predicate source is longer than <see cref="ScriptSandboxOptions.MaxSourceLength"/>.</summary>
    public const string SourceTooLong = "PE2102";

    /// <summary>Run: the predicate threw a JavaScript error it did not catch.</summary>
    public const string Threw = "PE3101";

    /// <summary>Run: the predicate ran longer than <see cref="ScriptSandboxOptions.TimeoutMs"/>.</summary>
    public const string Timeout = "PE3102";

    /// <summary>Run: the predicate executed more than <see cref="ScriptSandboxOptions.MaxStatements"/> statements.</summary>
    public const string StatementLimit = "PE3103";

    /// <summary>Run: the predicate returned something other than a boolean or a result object.</summary>
    public const string WrongReturnType = "PE3104";

    /// <summary>Run: the predicate allocated more than <see cref="ScriptSandboxOptions.MemoryLimitBytes"/>.</summary>
    public const string MemoryLimit = "PE3105";

    /// <summary>Run: the predicate nested calls deeper than <see cref="ScriptSandboxOptions.MaxRecursionDepth"/>.</summary>
    public const string RecursionLimit = "PE3106";

    /// <summary>Run: one regular-expression match ran longer than <see cref="ScriptSandboxOptions.RegexTimeoutMs"/>.</summary>
    public const string RegexTimeout = "PE3107";

    /// <summary>Run: the caller's cancellation token was cancelled.</summary>
    public const string Cancelled = "PE3108";
}
