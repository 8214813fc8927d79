using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using EvidenceStatus = PolicyEngine.Core.Snapshots.EvidenceStatus;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Evaluation;

/// <summary>One step of a rule's evaluation for one subject, as reported to an <see cref="IEvaluationTracer"/>.</summary>
public abstract record TraceEvent
{
    /// <summary>The rule being evaluated.</summary>
    public required RuleDescriptor Rule { get; init; }

    /// <summary>
    /// The subject, as its findings name it. Inside <c>forEach</c> it is the item's subject (its resource is the item's
    /// id or path), so the events of each item can be told apart.
    /// </summary>
    public required FindingSubject Subject { get; init; }
}

/// <summary>The evaluation of <see cref="TraceEvent.Rule"/> for a dispatched subject begins.</summary>
public sealed record SubjectTrace : TraceEvent
{
    /// <summary>The subject's JSON in the snapshot (account object, evidence response, resource), when it has one.</summary>
    public NormalizedPath? Path { get; init; }
}

/// <summary>
/// An input was looked up: a declared input resolved for the subject (or a forEach item), or evidence a predicate
/// read with <c>ctx.evidence</c> / <c>ctx.tryEvidence</c>.
/// </summary>
public sealed record InputTrace : TraceEvent
{
    /// <summary>The input's name as the rule declares it.</summary>
    public required string Name { get; init; }

    /// <summary>The evidence key looked up; <see langword="null"/> when no key could be formed (see <see cref="Detail"/>).</summary>
    public EvidenceKey? Key { get; init; }

    /// <summary>What the snapshot holds for the key: ok, error (see <see cref="ErrorCode"/>), notCollected or missing.</summary>
    public required EvidenceStatus Status { get; init; }

    /// <summary>The AWS or collector error code when <see cref="Status"/> is <see cref="EvidenceStatus.Error"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Why the evidence is not usable (error message, reason it was not collected, or why no key could be formed).</summary>
    public string? Detail { get; init; }

    /// <summary>Where the record is in the snapshot, when there is one.</summary>
    public NormalizedPath? Path { get; init; }

    /// <summary>True when the predicate read it with <c>ctx.evidence</c> or <c>ctx.tryEvidence</c> rather than the engine resolving it up front.</summary>
    public bool ReadByPredicate { get; init; }
}

/// <summary>A value selected by a JSONPath query, with its normalized path from the snapshot root.</summary>
/// <param name="Path">The node's normalized path in the snapshot.</param>
/// <param name="Value">The node's value.</param>
public readonly record struct TracedNode(NormalizedPath Path, JsonElement Value);

/// <summary>The <c>forEach</c> selection expanded the subject into items (none when it selected nothing).</summary>
public sealed record ForEachTrace : TraceEvent
{
    /// <summary>The forEach definition (input and path).</summary>
    public required ForEachDefinition ForEach { get; init; }

    /// <summary>The items, in selection order. Empty when nothing was selected (the outcome is then <c>ifEmpty</c>).</summary>
    public required IReadOnlyList<TracedNode> Items { get; init; }
}

/// <summary>Which part of a rule a condition belongs to.</summary>
public enum ConditionClause
{
    /// <summary>The <c>where</c> filter: when it does not hold the outcome is NotApplicable.</summary>
    Where,

    /// <summary>The <c>assert</c>: when it does not hold the outcome is Fail.</summary>
    Assert,
}

/// <summary>
/// A <c>where</c> or <c>assert</c> condition was evaluated. Every condition reports itself, combinators (<c>all</c>,
/// <c>any</c>, <c>not</c>) after their operands. Operands a combinator did not need (after the first false of an
/// <c>all</c>, the first true of an <c>any</c>) are not evaluated and not reported.
/// </summary>
/// <remarks>
/// A condition is identified by <see cref="Location"/>: its rule file and the line:column of the mapping (or list)
/// that writes it. For condition coverage, count per location the events whose <see cref="Verdict"/> is
/// <see cref="Verdict.Holds"/> (evaluated true) and <see cref="Verdict.Fails"/> (evaluated false).
/// </remarks>
public sealed record ConditionTrace : TraceEvent
{
    /// <summary>The condition as compiled.</summary>
    public required Condition Condition { get; init; }

    /// <summary>Where the condition is written in the rule file (its identity).</summary>
    public SourceLocation Location => Condition.Location;

    /// <summary>Whether it belongs to <c>where</c> or <c>assert</c>.</summary>
    public required ConditionClause Clause { get; init; }

    /// <summary>True, false, or undecided for lack of data.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>
    /// For a path condition, every node its JSONPath selected in its input, in selection order (empty when it selected
    /// nothing or its input is missing). Empty for <c>all</c>, <c>any</c> and <c>not</c>.
    /// </summary>
    public required IReadOnlyList<TracedNode> Nodes { get; init; }

    /// <summary>The explanation the finding would carry (why it failed or could not be decided; what held).</summary>
    public required string Detail { get; init; }
}

/// <summary>A predicate was called for the subject (or forEach item).</summary>
public sealed record PredicateTrace : TraceEvent
{
    /// <summary>What the predicate returned (or the error it ended with), including what it logged.</summary>
    public required PredicateResult Result { get; init; }

    /// <summary>For a run-time error the script located, where that is in the rule file.</summary>
    public SourceLocation? ErrorLocation { get; init; }
}

/// <summary>A finding was produced for the subject (or forEach item): the end of its evaluation.</summary>
public sealed record OutcomeTrace : TraceEvent
{
    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>The finding's message.</summary>
    public required string Message { get; init; }

    /// <summary>Where in the snapshot the finding points.</summary>
    public NormalizedPath? Path { get; init; }

    /// <summary>The finding's code, if any.</summary>
    public string? Code { get; init; }
}
