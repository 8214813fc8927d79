using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Testing;

/// <summary>A finding as a test compares it: outcome, subject, path and message.</summary>
public sealed record ActualFinding(Outcome Outcome, string? Account, string? Region, string? Resource, string? Path, string Message);

/// <summary>
/// Where a case's findings first differ from its expectation: the 1-based position in report order, what was
/// expected there (null: no more findings were expected) and what the rule produced (null: it produced no more).
/// </summary>
public sealed record FindingDifference(int Position, int ExpectedCount, int ActualCount, ExpectedFinding? Expected, ActualFinding? Actual);

/// <summary>The result of one test case.</summary>
public sealed record RuleTestCaseResult
{
    /// <summary>The case.</summary>
    public required RuleTestCase Case { get; init; }

    /// <summary>Whether the rule produced exactly the expected findings.</summary>
    public bool Passed => Differences.Count == 0 && Problem is null;

    /// <summary>Every position where findings differ from the expectation, in order; empty when the case passes.</summary>
    public IReadOnlyList<FindingDifference> Differences { get; init; } = [];

    /// <summary>Why the case could not run (its snapshot is invalid), when it could not.</summary>
    public string? Problem { get; init; }

    /// <summary>The outcomes the rule's findings reached on the case's snapshot (notApplicable included).</summary>
    public IReadOnlySet<Outcome> Reached { get; init; } = new HashSet<Outcome>();
}

/// <summary>Whether one <c>where</c> or <c>assert</c> condition was ever decided true, and ever false.</summary>
/// <param name="Stage">"where" or "assert".</param>
/// <param name="Location">Where the condition is written.</param>
/// <param name="Description">What the condition tests, e.g. "$.Status equal \"ENABLED\"".</param>
/// <param name="EverTrue">Some case's evaluation decided it true.</param>
/// <param name="EverFalse">Some case's evaluation decided it false.</param>
public sealed record ConditionCoverage(string Stage, SourceLocation Location, string Description, bool EverTrue, bool EverFalse);

/// <summary>What the cases of one rule exercise.</summary>
public sealed record RuleCoverage
{
    /// <summary>The rule id.</summary>
    public required string RuleId { get; init; }

    /// <summary>Where the rule is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The number of cases run for the rule; 0 when it has no test file (or the filter left none).</summary>
    public int Cases { get; init; }

    /// <summary>Whether any test file names the rule.</summary>
    public bool HasTestFile { get; init; }

    /// <summary>The outcomes some case's findings reached.</summary>
    public IReadOnlySet<Outcome> Reached { get; init; } = new HashSet<Outcome>();

    /// <summary>Whether the rule is declarative (where/assert conditions) rather than a predicate.</summary>
    public bool Declarative { get; init; }

    /// <summary>Every condition of a declarative rule, in source order, with whether cases decided it true and false.</summary>
    public IReadOnlyList<ConditionCoverage> Conditions { get; init; } = [];
}

/// <summary>The result of a test run: the cases run in order, the problems found, and coverage when asked.</summary>
public sealed record RuleTestRun
{
    /// <summary>The test files read, in order.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The case results, in file order then case order.</summary>
    public IReadOnlyList<RuleTestCaseResult> Results { get; init; } = [];

    /// <summary>Problems in the test files, fixtures or filter, sorted. Errors make the run invalid (exit 2).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Per-rule coverage (every rule under test, sorted by id) when coverage was asked for.</summary>
    public IReadOnlyList<RuleCoverage>? Coverage { get; init; }

    /// <summary>The number of passing cases.</summary>
    public int Passed => Results.Count(r => r.Passed);

    /// <summary>The number of failing cases.</summary>
    public int Failed => Results.Count(r => !r.Passed);

    /// <summary>Whether a diagnostic is an error: the input is invalid.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
