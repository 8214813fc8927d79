using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// Counts of one evaluation's findings, shared by every reporter so that console, JSON and any other summary
/// agree. Counts cover every finding, whatever <see cref="ReportContext.IncludePassing"/> says.
/// </summary>
public sealed class ReportSummary
{
    private readonly int[] _byOutcome = new int[OutcomeOrder.Count];
    private readonly int[] _bySeverity = new int[SeverityOrder.Count];
    private readonly SortedDictionary<string, int[]> _byCategory = new(StringComparer.Ordinal);

    private ReportSummary()
    {
    }

    /// <summary>The order reports list outcomes in: what needs attention first.</summary>
    public static IReadOnlyList<Outcome> OutcomeOrder { get; } =
        [Outcome.Fail, Outcome.InsufficientData, Outcome.Error, Outcome.Pass, Outcome.NotApplicable];

    /// <summary>The order reports list severities in: most severe first.</summary>
    public static IReadOnlyList<RuleSeverity> SeverityOrder { get; } =
        [RuleSeverity.Critical, RuleSeverity.High, RuleSeverity.Medium, RuleSeverity.Low, RuleSeverity.Informational];

    /// <summary>Number of findings.</summary>
    public int Total { get; private set; }

    /// <summary>Number of suppressed findings (any outcome).</summary>
    public int Suppressed { get; private set; }

    /// <summary>Number of rules that ran.</summary>
    public int Rules { get; private set; }

    /// <summary>Categories (services) in ordinal order, including those of rules that produced no finding.</summary>
    public IEnumerable<string> Categories => _byCategory.Keys;

    /// <summary>Counts one evaluation's findings.</summary>
    public static ReportSummary From(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = new ReportSummary { Rules = result.Rules.Count };
        foreach (var rule in result.Rules)
        {
            summary.CategoryCounts(rule.Category);
        }

        foreach (var finding in result.Findings)
        {
            summary.Total++;
            var outcome = IndexOf(finding.Outcome);
            summary._byOutcome[outcome]++;
            summary.CategoryCounts(finding.Rule.Category)[outcome]++;
            if (finding.Suppression is not null)
            {
                summary.Suppressed++;
            }
            else if (finding.Outcome == Outcome.Fail)
            {
                summary._bySeverity[SeverityOrder.Count - 1 - (int)finding.Severity]++;
            }
        }

        // Pass and NotApplicable findings that were counted instead of listed: never suppressed, never failures.
        foreach (var counted in result.Counted)
        {
            summary.Total += counted.Count;
            var outcome = IndexOf(counted.Outcome);
            summary._byOutcome[outcome] += counted.Count;
            summary.CategoryCounts(counted.Rule.Category)[outcome] += counted.Count;
        }

        return summary;
    }

    /// <summary>Findings with an outcome.</summary>
    public int Count(Outcome outcome) => _byOutcome[IndexOf(outcome)];

    /// <summary>Unsuppressed failing findings of a severity (what gates CI).</summary>
    public int Failures(RuleSeverity severity) => _bySeverity[SeverityOrder.Count - 1 - (int)severity];

    /// <summary>Findings of a category with an outcome.</summary>
    public int Count(string category, Outcome outcome) =>
        _byCategory.TryGetValue(category, out var counts) ? counts[IndexOf(outcome)] : 0;

    private int[] CategoryCounts(string category)
    {
        if (!_byCategory.TryGetValue(category, out var counts))
        {
            counts = new int[OutcomeOrder.Count];
            _byCategory.Add(category, counts);
        }

        return counts;
    }

    private static int IndexOf(Outcome outcome) => outcome switch
    {
        Outcome.Fail => 0,
        Outcome.InsufficientData => 1,
        Outcome.Error => 2,
        Outcome.Pass => 3,
        _ => 4,
    };
}
