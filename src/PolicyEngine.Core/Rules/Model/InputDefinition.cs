using PolicyEngine.Core.Diagnostics;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Rules.Model;

/// <summary>
/// Evidence a rule reads, declared up front so the engine can resolve it per subject, the evidence matrix can be
/// generated, and the collector can gather exactly what rules need.
/// </summary>
public sealed record InputDefinition
{
    /// <summary>The name conditions and predicates use.</summary>
    public required string Name { get; init; }

    /// <summary>The operation whose evidence this is.</summary>
    public required OperationName Operation { get; init; }

    /// <summary>Which account's evidence: "subject" (default), an SRA role name, or a literal account id.</summary>
    public string Account { get; init; } = "subject";

    /// <summary>
    /// Which region's evidence: "subject" (default for regional targets), "global", a literal region, or "governed":
    /// one record per governed region, which a predicate reads with <c>ctx.evidence(name, { region })</c>.
    /// </summary>
    public string Region { get; init; } = "subject";

    /// <summary>Identifying request parameters: literal text, or a selector over the subject.</summary>
    public IReadOnlyList<ParameterBinding> Parameters { get; init; } = [];

    /// <summary>When false, missing evidence does not make the outcome InsufficientData.</summary>
    public bool Required { get; init; } = true;

    /// <summary>What an AWS error code means for this rule, e.g. AWSOrganizationsNotInUseException → fail.</summary>
    public IReadOnlyDictionary<string, Outcome> ErrorOutcomes { get; init; } = new Dictionary<string, Outcome>();

    /// <summary>
    /// For error codes whose mapping applies only to some answers: the text the record's error message must contain
    /// (ordinal), e.g. AccessDeniedException → "Macie is not enabled". Other messages of the code stay unmapped.
    /// </summary>
    public IReadOnlyDictionary<string, string> ErrorMessages { get; init; } = new Dictionary<string, string>();

    /// <summary>The outcome this input's rule gives for an errored record, or null when the error is not mapped.</summary>
    public Outcome? MapError(string code, string? message) =>
        ErrorOutcomes.TryGetValue(code, out var outcome) &&
        (!ErrorMessages.TryGetValue(code, out var text) || (message ?? string.Empty).Contains(text, StringComparison.Ordinal))
            ? outcome
            : null;

    /// <summary>True when the input is read per governed region by a predicate rather than resolved up front.</summary>
    public bool IsPerGovernedRegion => string.Equals(Region, "governed", StringComparison.Ordinal);

    /// <summary>Where the input is declared.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>A request parameter of an input: either a literal, or the value a selector finds on the subject.</summary>
/// <param name="Name">The parameter name, as AWS spells it.</param>
/// <param name="Literal">The literal value, when not selected.</param>
/// <param name="Selector">A singular selector evaluated against the subject.</param>
public sealed record ParameterBinding(string Name, string? Literal, JsonPathQuery? Selector);

/// <summary>Expands a subject into items, e.g. each organization trail of a DescribeTrails response.</summary>
public sealed record ForEachDefinition
{
    /// <summary>The input (or built-in) to select from.</summary>
    public required string Input { get; init; }

    /// <summary>The selector whose nodes become the items.</summary>
    public required JsonPathQuery Path { get; init; }

    /// <summary>The outcome when there are no items.</summary>
    public Outcome IfEmpty { get; init; } = Outcome.NotApplicable;

    /// <summary>The message when there are no items.</summary>
    public string? IfEmptyMessage { get; init; }

    /// <summary>A selector, relative to each item, giving the item's resource id (e.g. its ARN).</summary>
    public JsonPathQuery? Id { get; init; }
}
