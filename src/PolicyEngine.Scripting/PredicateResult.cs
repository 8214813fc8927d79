namespace PolicyEngine.Scripting;

/// <summary>The verdict of one predicate call.</summary>
public enum PredicateOutcome
{
    /// <summary>The predicate returned <c>true</c> or <c>{ pass: true }</c>.</summary>
    Pass,

    /// <summary>The predicate returned <c>false</c> or <c>{ pass: false }</c>.</summary>
    Fail,

    /// <summary>The predicate returned <c>{ notApplicable: true }</c>.</summary>
    NotApplicable,

    /// <summary>The predicate needed evidence that was missing, failed or not collected.</summary>
    InsufficientData,

    /// <summary>The predicate threw, hit a limit, was cancelled or returned the wrong type; see <see cref="PredicateResult.ErrorCode"/>.</summary>
    Error,
}

/// <summary>The result of one predicate call.</summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Message">The predicate's message, or for <see cref="PredicateOutcome.Error"/> and
/// <see cref="PredicateOutcome.InsufficientData"/> a description of what went wrong.</param>
/// <param name="Path">The JSONPath of the offending value relative to the subject, when the predicate gave one.</param>
/// <param name="ErrorCode">For <see cref="PredicateOutcome.Error"/>, one of the run codes in <see cref="ScriptErrorCodes"/>.</param>
public sealed record PredicateResult(PredicateOutcome Outcome, string? Message, string? Path, string? ErrorCode)
{
    /// <summary>
    /// What the call logged with <c>ctx.log</c> or <c>console.log</c>, one entry per call (arguments rendered and
    /// joined by spaces), within <see cref="PredicateLogLimits"/>. Empty when it logged nothing. Logs are never written
    /// anywhere else: a reporter shows them only when asked (<c>evaluate --explain</c>).
    /// </summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>Log calls dropped or shortened (the entry ends with '…') because a limit of <see cref="PredicateLogLimits"/> was reached.</summary>
    public int LogsCut { get; init; }

    /// <summary>
    /// For <see cref="PredicateOutcome.Error"/>: the 1-based line in the predicate source of the statement that threw, or
    /// that was running when a limit stopped the call; 0 when unknown. The core adds the rule file's offset.
    /// </summary>
    public int Line { get; init; }

    /// <summary>The 1-based column that goes with <see cref="Line"/> (UTF-16 code units); 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>
    /// How a message names a position in the predicate source: <c> (line L, column C)</c>. A host that knows where the
    /// predicate is written replaces it with that location.
    /// </summary>
    public static string PositionSuffix(int line, int column) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (line {line}, column {column})");

    internal static PredicateResult Failure(string code, string message) => new(PredicateOutcome.Error, message, null, code);
}

/// <summary>How much one predicate call may log with <c>ctx.log</c> / <c>console.log</c>; what is over is cut and counted.</summary>
public static class PredicateLogLimits
{
    /// <summary>Log calls kept per predicate call.</summary>
    public const int MaxEntries = 100;

    /// <summary>Characters kept per predicate call, over all its log calls.</summary>
    public const int MaxCharacters = 8192;

    /// <summary>A sentence saying how many log calls were cut, for reports.</summary>
    public static string DescribeCut(int cut) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{cut} log call(s) cut: a predicate call keeps at most {MaxEntries} log calls and {MaxCharacters} characters");
}

