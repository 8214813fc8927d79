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
    internal static PredicateResult Failure(string code, string message) => new(PredicateOutcome.Error, message, null, code);
}
