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

    // The message and fingerprint of an evaluated finding are made when first read: most findings of a large
    // organization (Pass, NotApplicable) are only counted, and rendering and hashing them all cost more time and memory
    // than the rest of the finding. Equality still compares the texts (DeferredText compares values).
    private DeferredText _message = DeferredText.Empty;
    private DeferredText _fingerprint = DeferredText.Empty;
    private DeferredPosition _position = DeferredPosition.Unknown;

    /// <summary>The rendered message.</summary>
    public required string Message { get => _message.Value; init => _message = DeferredText.Of(value); }

    /// <summary>Where in the snapshot the finding points (the offending value, or the subject).</summary>
    public NormalizedPath? Path { get; init; }

    /// <summary>1-based line in the snapshot file, 0 when unknown.</summary>
    public int Line { get => _position.Value.Line; init => _position = DeferredPosition.Of(value, _position.Value.Column); }

    /// <summary>1-based column in the snapshot file, 0 when unknown.</summary>
    public int Column { get => _position.Value.Column; init => _position = DeferredPosition.Of(_position.Value.Line, value); }

    /// <summary>An error code for Error and InsufficientData outcomes (PE3xxx, or the AWS error code).</summary>
    public string? Code { get; init; }

    /// <summary>The suppression, when configuration accepted this finding.</summary>
    public SuppressionInfo? Suppression { get; init; }

    /// <summary>
    /// The finding's stable identity across runs (<see cref="FindingFingerprint"/>): rule id, account, region, resource
    /// and normalized evidence path, hashed. Empty only for findings built outside an evaluation.
    /// </summary>
    public string Fingerprint { get => _fingerprint.Value; init => _fingerprint = DeferredText.Of(value); }

    /// <summary>Sets the message, fingerprint and position to values made on first read.</summary>
    internal Finding WithDeferred(DeferredText message, DeferredText fingerprint, DeferredPosition position)
    {
        _message = message;
        _fingerprint = fingerprint;
        _position = position;
        return this;
    }
}

/// <summary>
/// A text made when first read, then kept. Equal when the texts are equal, however and whenever they were made, so a
/// record holding one keeps value equality.
/// </summary>
internal abstract class DeferredText : IEquatable<DeferredText>
{
    private string? _value;

    /// <summary>The empty text.</summary>
    public static DeferredText Empty { get; } = Of(string.Empty);

    /// <summary>The text, made on the first read (threads may race to make it; they make the same text).</summary>
    public string Value => _value ??= Make();

    /// <summary>A text that is already made.</summary>
    public static DeferredText Of(string value) => new Made(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>Makes the text.</summary>
    protected abstract string Make();

    /// <inheritdoc/>
    public bool Equals(DeferredText? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DeferredText);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    private sealed class Made : DeferredText
    {
        public Made(string value) => _value = value;

        protected override string Make() => _value!;
    }
}

/// <summary>
/// A finding's line and column, found when first read. Equal when the positions are equal, so a record holding one
/// keeps value equality.
/// </summary>
internal abstract class DeferredPosition : IEquatable<DeferredPosition>
{
    /// <summary>No position (0, 0).</summary>
    public static DeferredPosition Unknown { get; } = Of(0, 0);

    /// <summary>The position.</summary>
    public abstract (int Line, int Column) Value { get; }

    /// <summary>A position already known.</summary>
    public static DeferredPosition Of(int line, int column) => new Known((line, column));

    /// <inheritdoc/>
    public bool Equals(DeferredPosition? other) => other is not null && Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DeferredPosition);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    private sealed class Known((int Line, int Column) value) : DeferredPosition
    {
        public override (int Line, int Column) Value => value;
    }
}
