using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Core.Configuration;

/// <summary>
/// A severity for part of the organization: one entry of a rule's or category's <c>scopes:</c> list. It applies to a
/// finding whose account is one of <see cref="Accounts"/>, whose account's OU path is under one of
/// <see cref="OuPaths"/> and whose region is one of <see cref="Regions"/>; an empty list does not narrow.
/// </summary>
public sealed record SeverityScope
{
    /// <summary>The severity findings in scope carry.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>Account ids (empty: any).</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>OU path prefixes, whole segments, as <c>--ou</c> (empty: any).</summary>
    public IReadOnlyList<string> OuPaths { get; init; } = [];

    /// <summary>Regions, as findings spell them (empty: any).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Where the entry is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>
    /// How specific the scope is for <paramref name="subject"/>, or null when it does not apply:
    /// (names the account, segments of the longest OU prefix the account is under, names the region).
    /// </summary>
    public Specificity? SpecificityFor(FindingSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (Accounts.Count > 0 && !Accounts.Contains(subject.Account ?? string.Empty, StringComparer.Ordinal))
        {
            return null;
        }

        if (Regions.Count > 0 && !Regions.Contains(subject.Region ?? string.Empty, StringComparer.Ordinal))
        {
            return null;
        }

        var ouDepth = 0;
        if (OuPaths.Count > 0)
        {
            if (subject.OuPath is not { } ouPath)
            {
                return null;
            }

            foreach (var prefix in OuPaths)
            {
                if (ReportFilter.IsUnder(ouPath, prefix))
                {
                    ouDepth = Math.Max(ouDepth, Segments(prefix));
                }
            }

            if (ouDepth == 0)
            {
                return null;
            }
        }

        return new Specificity(Accounts.Count > 0, ouDepth, Regions.Count > 0);
    }

    /// <summary>The number of non-empty segments of an OU path: <c>Root/Workloads/Prod</c> is 3.</summary>
    internal static int Segments(string ouPath) => ouPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>
/// How specific a severity scope is for one finding, compared in this order: an entry naming the account beats any
/// that does not; then the deeper OU prefix (more segments) wins, and any OU beats none; then an entry naming the
/// region beats one that does not.
/// </summary>
/// <param name="Account">The entry names the finding's account.</param>
/// <param name="OuDepth">Segments of the longest OU prefix of the entry the account is under (0: no OU).</param>
/// <param name="Region">The entry names the finding's region.</param>
public readonly record struct Specificity(bool Account, int OuDepth, bool Region) : IComparable<Specificity>
{
    /// <summary>The specificity of an entry without a scope (a rule's or category's own <c>severity</c>).</summary>
    public static Specificity Unscoped => default;

    /// <inheritdoc/>
    public int CompareTo(Specificity other)
    {
        var c = Account.CompareTo(other.Account);
        if (c == 0)
        {
            c = OuDepth.CompareTo(other.OuDepth);
        }

        return c != 0 ? c : Region.CompareTo(other.Region);
    }

    /// <summary>Compares specificities.</summary>
    public static bool operator >(Specificity left, Specificity right) => left.CompareTo(right) > 0;

    /// <summary>Compares specificities.</summary>
    public static bool operator <(Specificity left, Specificity right) => left.CompareTo(right) < 0;

    /// <summary>Compares specificities.</summary>
    public static bool operator >=(Specificity left, Specificity right) => left.CompareTo(right) >= 0;

    /// <summary>Compares specificities.</summary>
    public static bool operator <=(Specificity left, Specificity right) => left.CompareTo(right) <= 0;
}
