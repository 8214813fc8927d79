using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Text;

namespace PolicyEngine.Core.Configuration;

/// <summary>
/// Accepts findings that match, for a stated reason. Every narrowing list (accounts, regions, OU paths, account tags,
/// resources) must match when given; a value matches when it equals (or, for OU paths, is under; for resources,
/// matches the glob of) one of the list's items.
/// </summary>
public sealed record Suppression
{
    /// <summary>The rule id.</summary>
    public required string Rule { get; init; }

    /// <summary>Accounts it applies to (empty: all).</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Regions it applies to (empty: all).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>
    /// OU path prefixes (empty: all): a finding matches when its account's OU path is one of them or below it, by whole
    /// segments, as the reports' <c>--ou</c> filter (<see cref="ReportFilter.IsUnder"/>).
    /// </summary>
    public IReadOnlyList<string> OuPaths { get; init; } = [];

    /// <summary>
    /// Account tags (empty: all): the finding's account must carry every key, with one of that key's values (exact,
    /// case-sensitive, as AWS compares tags). An account whose tags the snapshot does not hold matches no tag.
    /// </summary>
    public IReadOnlyList<AccountTagCondition> AccountTags { get; init; } = [];

    /// <summary>Resource globs (empty: all): <c>*</c> any text, <c>?</c> one character, case-sensitive, on the finding's resource (ARN or id).</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Who answers for the accepted risk (a person, team or mailbox), when given.</summary>
    public string? Owner { get; init; }

    /// <summary>Why the finding is accepted. Required: a suppression without a reason is a diagnostic.</summary>
    public required string Justification { get; init; }

    /// <summary>After this date the suppression no longer applies.</summary>
    public DateOnly? Expires { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Where its <c>expires</c> date is written, when it has one.</summary>
    public SourceLocation? ExpiresLocation { get; init; }

    private Glob[]? _resourceGlobs;

    private Glob[] ResourceGlobs => _resourceGlobs ??= [.. Resources.Select(r => new Glob(r))];

    /// <summary>True when the suppression has expired by <paramref name="today"/> (the day after <see cref="Expires"/>).</summary>
    public bool IsExpired(DateOnly today) => Expires is { } expires && today > expires;

    /// <summary>True when the suppression covers the finding.</summary>
    /// <param name="finding">The finding.</param>
    /// <param name="accountTags">The tags of the finding's account, or null when the snapshot does not hold them.</param>
    /// <param name="today">The evaluation date, compared with <see cref="Expires"/>.</param>
    public bool Matches(Finding finding, IReadOnlyDictionary<string, string>? accountTags, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var subject = finding.Subject;
        return string.Equals(finding.Rule.Id, Rule, StringComparison.Ordinal)
            && !IsExpired(today)
            && (Accounts.Count == 0 || Accounts.Contains(subject.Account ?? string.Empty, StringComparer.Ordinal))
            && (Regions.Count == 0 || Regions.Contains(subject.Region ?? string.Empty, StringComparer.Ordinal))
            && (OuPaths.Count == 0 || (subject.OuPath is { } ouPath && OuPaths.Any(prefix => ReportFilter.IsUnder(ouPath, prefix))))
            && (AccountTags.Count == 0 || (accountTags is not null && AccountTags.All(tag => tag.Matches(accountTags))))
            && (Resources.Count == 0 || (subject.Resource is { } resource && ResourceGlobs.Any(glob => glob.IsMatch(resource))));
    }
}

/// <summary>One key of a suppression's <c>accountTags</c> and the values it accepts.</summary>
/// <param name="Key">The tag key, exact.</param>
/// <param name="Values">The accepted values, exact (an empty string is a value AWS allows).</param>
public sealed record AccountTagCondition(string Key, IReadOnlyList<string> Values)
{
    /// <summary>True when the account has the key with one of the values.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue(Key, out var value) && Values.Contains(value, StringComparer.Ordinal);
    }
}
