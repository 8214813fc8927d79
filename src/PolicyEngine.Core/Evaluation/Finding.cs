using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>What a finding is about: an organization, account, account × region, resource or evidence record.</summary>
public sealed record FindingSubject
{
    /// <summary>The kind of subject (the rule's target).</summary>
    public required TargetKind Kind { get; init; }

    /// <summary>The account id, when the subject belongs to one.</summary>
    public string? Account { get; init; }

    /// <summary>The account name, when known.</summary>
    public string? AccountName { get; init; }

    /// <summary>
    /// The account's OU path in the snapshot (e.g. <c>Root/Workloads/Prod</c>), when the subject belongs to an account
    /// the snapshot lists; reports group and filter by it.
    /// </summary>
    public string? OuPath { get; init; }

    /// <summary>The region, "global", or null.</summary>
    public string? Region { get; init; }

    /// <summary>The resource: an ARN, a resource id, or an evidence key.</summary>
    public string? Resource { get; init; }

    /// <summary>A stable text key used to sort findings and to match suppressions.</summary>
    public string SortKey => $"{Account}|{Region}|{Resource}";
}

/// <summary>A suppression applied to a finding, with the justification configuration gave for it.</summary>
/// <param name="Justification">Why the finding is accepted.</param>
/// <param name="Source">Where the suppression is written.</param>
/// <param name="Owner">Who answers for the accepted risk, when the suppression names one.</param>
public sealed record SuppressionInfo(string Justification, string Source, string? Owner = null);

/// <summary>
/// One outcome of one rule for one subject. It references its descriptor rather than copying it (Roslyn's
/// Diagnostic/DiagnosticDescriptor split) and carries the effective severity from configuration.
/// </summary>
public sealed record Finding
{
    /// <summary>The rule.</summary>
    public required RuleDescriptor Rule { get; init; }

    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Severity after configuration.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>The subject.</summary>
    public required FindingSubject Subject { get; init; }

    // The message, fingerprint and position of an evaluated finding are made when first read, from the evaluation's
    // raw finding and context: most findings of a large organization (Pass, NotApplicable) are only counted, and
    // rendering, hashing and locating them all cost more time and memory than the rest of the finding. They are
    // fields of the finding itself, not objects of their own, because a 10,000-account organization has millions of
    // findings. Equality compares the values (see Equals), however and whenever they were made.
    private string? _message;
    private string? _fingerprint;
    private (int Line, int Column)? _position;
    private string? _detail;
    private FindingContext? _context;

    /// <summary>The rendered message.</summary>
    public required string Message { get => _message ??= _detail is null ? string.Empty : MessageFormatter.Render(Rule, Outcome, Subject, _detail); init => _message = value; }

    /// <summary>Where in the snapshot the finding points (the offending value, or the subject).</summary>
    public NormalizedPath? Path { get; init; }

    /// <summary>1-based line in the snapshot file, 0 when unknown.</summary>
    public int Line { get => Position.Line; init => _position = (value, Position.Column); }

    /// <summary>1-based column in the snapshot file, 0 when unknown.</summary>
    public int Column { get => Position.Column; init => _position = (Position.Line, value); }

    /// <summary>An error code for Error and InsufficientData outcomes (PE3xxx, or the AWS error code).</summary>
    public string? Code { get; init; }

    /// <summary>The suppression, when configuration accepted this finding.</summary>
    public SuppressionInfo? Suppression { get; init; }

    /// <summary>
    /// The finding's stable identity across runs (<see cref="FindingFingerprint"/>): rule id, account, region, resource
    /// and normalized evidence path, hashed. Empty only for findings built outside an evaluation.
    /// </summary>
    public string Fingerprint
    {
        get => _fingerprint ??= _context is null ? string.Empty : _context.Fingerprints.Compute(Rule.Id, Subject, Path);
        init => _fingerprint = value;
    }

    private (int Line, int Column) Position => _position ?? (_context is null || Path is null ? (0, 0) : _context.Locate(Path, Outcome));

    /// <summary>
    /// Makes the message (from the rule's format, this finding's outcome and subject and <paramref name="detail"/>), the
    /// fingerprint and the position from the evaluation's context when first read.
    /// </summary>
    internal Finding WithDeferred(string detail, FindingContext context)
    {
        _message = null;
        _fingerprint = null;
        _position = null;
        _detail = detail;
        _context = context;
        return this;
    }

    /// <summary>
    /// Makes the message, fingerprint and position now and lets go of the evaluation's context: for findings kept after
    /// their snapshot is gone (the parts of a large snapshot are evaluated one after the other).
    /// </summary>
    internal Finding Settled()
    {
        _ = Message;
        _ = Fingerprint;
        _position = Position;
        _detail = null;
        _context = null;
        return this;
    }

    /// <summary>Equal when every member's value is, whether it was given or made when read.</summary>
    public bool Equals(Finding? other) =>
        other is not null && (ReferenceEquals(this, other) || (Equals(Rule, other.Rule) && Outcome == other.Outcome && Severity == other.Severity
            && Equals(Subject, other.Subject) && Equals(Path, other.Path) && Code == other.Code && Equals(Suppression, other.Suppression)
            && Message == other.Message && Fingerprint == other.Fingerprint && Position == other.Position));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rule, Outcome, Severity, Subject, Path, Code, Message, Fingerprint);
}
