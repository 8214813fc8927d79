using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Rules.Model;

/// <summary>
/// A rule ready to evaluate: its descriptor plus the compiled body (parsed selectors, compiled regexes and the
/// prepared predicate). Immutable and thread-safe; compiled once and evaluated against any number of snapshots.
/// </summary>
public sealed record CompiledRule
{
    /// <summary>The rule's descriptor.</summary>
    public required RuleDescriptor Descriptor { get; init; }

    /// <summary>What the rule is dispatched to.</summary>
    public required TargetKind Target { get; init; }

    /// <summary>For resource targets, the resource type.</summary>
    public string? ResourceType { get; init; }

    /// <summary>For evidence targets, the operation.</summary>
    public OperationName? Operation { get; init; }

    /// <summary>For evidence targets, where the operation is written.</summary>
    public SourceLocation? OperationLocation { get; init; }

    /// <summary>For evidence targets, whether the operation is regional (region = subject) or global.</summary>
    public bool OperationIsGlobal { get; init; }

    /// <summary>SRA roles in scope; empty means every active account.</summary>
    public IReadOnlyList<string> ScopeRoles { get; init; } = [];

    /// <summary>Regions in scope; empty means every governed region.</summary>
    public IReadOnlyList<string> ScopeRegions { get; init; } = [];

    /// <summary>Declared evidence, in declaration order.</summary>
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>Optional expansion of the subject into items.</summary>
    public ForEachDefinition? ForEach { get; init; }

    /// <summary>Filter: when it does not hold, the outcome is NotApplicable.</summary>
    public Condition? Where
    {
        get => _where;
        init
        {
            _where = value;
            WhereInputs = ConditionInputs.Of(value);
        }
    }

    private readonly Condition? _where;

    /// <summary>
    /// The inputs <see cref="Where"/> reads, resolved before the rest so an excluded subject is NotApplicable.
    /// Computed once per rule, not per subject: it depends only on the compiled condition.
    /// </summary>
    public IReadOnlySet<string> WhereInputs { get; private init; } = ConditionInputs.Of(null);

    /// <summary>The assertion, when the rule is declarative.</summary>
    public Condition? Assert { get; init; }

    /// <summary>The predicate, when the rule is scripted.</summary>
    public CompiledPredicate? Predicate { get; init; }

    /// <summary>Where the predicate's text is in the rule file, to locate its run-time errors there.</summary>
    public PredicateOrigin? PredicateOrigin { get; init; }

    /// <summary>Where the rule's id is written.</summary>
    public required SourceLocation Location { get; init; }
}
