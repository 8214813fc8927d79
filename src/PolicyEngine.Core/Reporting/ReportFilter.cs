using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Text;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// The report filters (<c>--severity</c>, <c>--rule</c>, <c>--service</c>, <c>--account</c>, <c>--ou</c>,
/// <c>--region</c>, <c>--outcome</c>): a finding is kept when it matches every filter given, and one of the values of
/// each. They apply to every format, to the summary counts, to the baseline comparison and to the gate.
/// </summary>
public sealed record ReportFilter
{
    /// <summary>The lowest severity kept, or null.</summary>
    public RuleSeverity? MinimumSeverity { get; init; }

    /// <summary>Rule id globs (<c>*</c> any text, <c>?</c> one character), case-insensitive.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Services (rule categories), case-insensitive.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Account ids.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>OU path prefixes, whole segments: <c>Root/Workloads</c> keeps <c>Root/Workloads/Prod</c>, not <c>Root/WorkloadsX</c>.</summary>
    public IReadOnlyList<string> OuPaths { get; init; } = [];

    /// <summary>Regions (<c>global</c> included).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Outcomes.</summary>
    public IReadOnlyList<Outcome> Outcomes { get; init; } = [];

    private Glob[]? _globs;

    private Glob[] Globs => _globs ??= [.. Rules.Select(rule => new Glob(rule, ignoreCase: true))];

    /// <summary>True when no filter is given.</summary>
    public bool IsEmpty => MinimumSeverity is null && Rules.Count == 0 && Services.Count == 0 && Accounts.Count == 0
        && OuPaths.Count == 0 && Regions.Count == 0 && Outcomes.Count == 0;

    /// <summary>True when the finding passes every filter.</summary>
    public bool Matches(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Matches(finding.Rule.Id, finding.Severity, finding.Rule.Category, finding.Subject.Account, finding.Subject.OuPath, finding.Subject.Region, finding.Outcome);
    }

    /// <summary>True when a finding read from a report passes every filter.</summary>
    public bool Matches(ReportedFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Matches(finding.RuleId, finding.Severity, finding.Category, finding.Account, finding.OuPath, finding.Region, finding.Outcome);
    }

    private bool Matches(string ruleId, RuleSeverity severity, string category, string? account, string? ouPath, string? region, Outcome outcome) =>
        (MinimumSeverity is null || severity >= MinimumSeverity)
        && (Rules.Count == 0 || Globs.Any(glob => glob.IsMatch(ruleId)))
        && (Services.Count == 0 || Services.Contains(category, StringComparer.OrdinalIgnoreCase))
        && (Accounts.Count == 0 || (account is not null && Accounts.Contains(account, StringComparer.Ordinal)))
        && (OuPaths.Count == 0 || (ouPath is not null && OuPaths.Any(prefix => IsUnder(ouPath, prefix))))
        && (Regions.Count == 0 || (region is not null && Regions.Contains(region, StringComparer.OrdinalIgnoreCase)))
        && (Outcomes.Count == 0 || Outcomes.Contains(outcome));

    /// <summary>True when <paramref name="ouPath"/> is <paramref name="prefix"/> or below it (whole segments, any case).</summary>
    public static bool IsUnder(string ouPath, string prefix)
    {
        ArgumentNullException.ThrowIfNull(ouPath);
        ArgumentNullException.ThrowIfNull(prefix);
        prefix = prefix.TrimEnd('/');
        return ouPath.Equals(prefix, StringComparison.OrdinalIgnoreCase)
            || (ouPath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && ouPath.Length > prefix.Length && ouPath[prefix.Length] == '/');
    }

    /// <summary>The findings of <paramref name="result"/> this filter keeps (the rules that ran stay).</summary>
    /// <exception cref="ArgumentException">The filter is not empty and <paramref name="result"/> counted findings
    /// instead of listing them (<see cref="EvaluationOptions.CountPassing"/>): counts cannot be filtered by account or region.</exception>
    public EvaluationResult Apply(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (IsEmpty)
        {
            return result;
        }

        if (result.Counted.Count > 0)
        {
            throw new ArgumentException("A filtered report needs every finding listed: evaluate without CountPassing.", nameof(result));
        }

        return result with { Findings = result.Findings.Where(Matches).ToArray() };
    }

    /// <summary>The filters in words, e.g. <c>severity high or above; rule SRA-GUARDDUTY-*; ou Root/Prod</c>; null when empty.</summary>
    public string? Describe()
    {
        if (IsEmpty)
        {
            return null;
        }

        var parts = new List<string>();
        if (MinimumSeverity is { } severity)
        {
            parts.Add($"severity {severity.ToName()}{(severity == RuleSeverity.Critical ? string.Empty : " or above")}");
        }

        Add(parts, "rule", Rules);
        Add(parts, "service", Services);
        Add(parts, "account", Accounts);
        Add(parts, "ou", OuPaths);
        Add(parts, "region", Regions);
        Add(parts, "outcome", Outcomes.Select(o => o.ToName()).ToArray());
        return string.Join("; ", parts);
    }

    private static void Add(List<string> parts, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add(name + " " + string.Join(" or ", values));
        }
    }
}
