namespace PolicyEngine.Cli;

/// <summary>The process exit codes, documented in the README. Kept small so CI scripts can rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>No failing finding at or above --fail-on (or, for validate, no error).</summary>
    public const int Success = 0;

    /// <summary>Failing findings at or above --fail-on exist.</summary>
    public const int FindingsAtOrAboveThreshold = 1;

    /// <summary>Invalid input: rules, snapshot or configuration have errors.</summary>
    public const int InvalidInput = 2;

    /// <summary>Usage error: unknown command or option, bad option value.</summary>
    public const int UsageError = 3;

    /// <summary>collect: the caller's identity or the organization cannot be read (PE8020, PE8021); no snapshot was written.</summary>
    public const int CollectionFailed = 4;

    /// <summary>collect: more calls failed than --max-error-rate allows (PE8022); the snapshot was written beside the target as .partial, unless --allow-partial.</summary>
    public const int PartialCollection = 5;

    /// <summary>Cancelled by SIGINT (Ctrl+C); SIGTERM gives 143. PE3108 was printed and nothing was written.</summary>
    public const int Cancelled = 130;
}
