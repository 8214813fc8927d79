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

    /// <summary>
    /// Where the rule comes from, decided by its own metadata so it does not depend on where the pack is installed:
    /// <c>extension: true</c> is an extension of the SRA pack beyond SRA Verify; <c>references.sraVerify</c> is a port
    /// of that SRA Verify check; a rule with neither is a team's custom rule.
    /// </summary>
    public RuleOrigin Origin => IsExtension ? RuleOrigin.Extension : SraVerifyCheck is not null ? RuleOrigin.SraVerify : RuleOrigin.Custom;

    /// <summary>Where this rule's outcome deliberately differs from SRA Verify's, and why.</summary>
    public string? DiffersFromSraVerify { get; init; }

    /// <summary>The SRA account roles the rule applies to, as declared in scope (empty: every account).</summary>
    public IReadOnlyList<string> AccountScope { get; init; } = [];

    /// <summary>The rule's target kind as written in the rule (organization, account, ...).</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>The file the rule was loaded from, relative to the rules directory.</summary>
    public string SourceFile { get; init; } = string.Empty;
}

/// <summary>Where a rule comes from (see <see cref="RuleDescriptor.Origin"/>).</summary>
public enum RuleOrigin
{
    /// <summary>A port of an SRA Verify check (<c>references.sraVerify</c>).</summary>
    SraVerify,

    /// <summary>An SRA rule beyond SRA Verify's catalogue (<c>extension: true</c>).</summary>
    Extension,

    /// <summary>A rule with neither: written by a team for its own pack.</summary>
    Custom,
}

/// <summary>Text forms of <see cref="RuleOrigin"/>.</summary>
public static class RuleOriginNames
{
    /// <summary>sra-verify, extension or custom.</summary>
    public static string ToName(this RuleOrigin origin) => origin switch
    {
        RuleOrigin.SraVerify => "sra-verify",
        RuleOrigin.Extension => "extension",
        _ => "custom",
    };
}
