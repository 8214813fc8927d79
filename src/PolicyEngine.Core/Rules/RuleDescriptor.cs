namespace PolicyEngine.Core.Rules;

/// <summary>
/// What never changes about a rule, kept apart from each finding (Roslyn's DiagnosticDescriptor). Reporters
/// build SARIF <c>rules[]</c>, the rules reference and <c>list-rules</c> from descriptors alone.
/// </summary>
public sealed record RuleDescriptor
{
    /// <summary>Stable id such as SRA-GUARDDUTY-01.</summary>
    public required string Id { get; init; }

    /// <summary>One-line title.</summary>
    public required string Title { get; init; }

    /// <summary>The message of a failing finding, with placeholders such as {account} and {region}.</summary>
    public required string MessageFormat { get; init; }

    /// <summary>The service or area, e.g. GuardDuty.</summary>
    public required string Category { get; init; }

    /// <summary>Severity unless configuration says otherwise.</summary>
    public required RuleSeverity DefaultSeverity { get; init; }

    /// <summary>Whether the rule runs unless configuration disables it.</summary>
    public bool IsEnabledByDefault { get; init; } = true;

    /// <summary>Longer explanation.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Link to the guidance behind the rule.</summary>
    public string? HelpUri { get; init; }

    /// <summary>How to fix a failure.</summary>
    public string Remediation { get; init; } = string.Empty;

    /// <summary>The SRA Verify check this rule covers, if any.</summary>
    public string? SraVerifyCheck { get; init; }

    /// <summary>The SRA examples solution that configures what the rule checks, if any.</summary>
    public string? SraExamplesSolution { get; init; }

    /// <summary>Further reference links.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>Free-form tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True for rules beyond SRA Verify's catalogue.</summary>
    public bool IsExtension { get; init; }

    /// <summary>Where this rule's outcome deliberately differs from SRA Verify's, and why.</summary>
    public string? DiffersFromSraVerify { get; init; }

    /// <summary>The SRA account roles the rule applies to, as declared in scope (empty: every account).</summary>
    public IReadOnlyList<string> AccountScope { get; init; } = [];

    /// <summary>The rule's target kind as written in the rule (organization, account, ...).</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>The file the rule was loaded from, relative to the rules directory.</summary>
    public string SourceFile { get; init; } = string.Empty;
}
