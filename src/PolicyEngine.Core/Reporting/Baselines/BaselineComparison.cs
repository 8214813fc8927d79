using PolicyEngine.Core.Evaluation;

namespace PolicyEngine.Core.Reporting.Baselines;

/// <summary>How a finding stands against a baseline.</summary>
public enum BaselineStatus
{
    /// <summary>The finding is not in the baseline.</summary>
    New,

    /// <summary>The finding is in the baseline too.</summary>
    Unchanged,

    /// <summary>The finding is in the baseline and absent now (it passes, or its subject is gone).</summary>
    Fixed,
}

/// <summary>Text forms of <see cref="BaselineStatus"/> as reports write them.</summary>
public static class BaselineStatusNames
{
    /// <summary><c>new</c>, <c>unchanged</c> or <c>fixed</c>.</summary>
    public static string ToName(this BaselineStatus status) => status switch
    {
        BaselineStatus.New => "new",
        BaselineStatus.Unchanged => "unchanged",
        _ => "fixed",
    };
}

/// <summary>
/// An evaluation's findings classified against a baseline by fingerprint: each finding that needs attention (Fail,
/// InsufficientData, Error) is new or unchanged, and each such finding of the baseline that is absent now is fixed.
/// Fingerprints are compared as a multiset: when the baseline holds a fingerprint twice and the evaluation three
/// times, two findings are unchanged and one is new (the later ones in report order). Every reporter reads it
/// through <see cref="ReportContext.Baseline"/>.
/// </summary>
public sealed class BaselineComparison
{
    private readonly Dictionary<Finding, BaselineStatus> _status;

    private BaselineComparison(string file, Dictionary<Finding, BaselineStatus> status, IReadOnlyList<ReportedFinding> fixedFindings)
    {
        File = file;
        _status = status;
        Fixed = fixedFindings;
        New = status.Values.Count(s => s == BaselineStatus.New);
        Unchanged = status.Count - New;
    }

    /// <summary>The baseline file, as the user named it.</summary>
    public string File { get; }

    /// <summary>Findings of the baseline absent now, in the baseline's order.</summary>
    public IReadOnlyList<ReportedFinding> Fixed { get; }

    /// <summary>Number of new findings.</summary>
    public int New { get; }

    /// <summary>Number of unchanged findings.</summary>
    public int Unchanged { get; }

    /// <summary>Compares an evaluation with a baseline report.</summary>
    public static BaselineComparison Compare(IEnumerable<Finding> findings, ReportedFindings baseline)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(baseline);
        var current = findings.Where(f => ReportWriting.NeedsAttention(f.Outcome)).ToList();
        var (isNew, fixedFindings) = Classify(current, f => f.Fingerprint, baseline.Findings);
        var status = new Dictionary<Finding, BaselineStatus>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < current.Count; i++)
        {
            status[current[i]] = isNew[i] ? BaselineStatus.New : BaselineStatus.Unchanged;
        }

        return new BaselineComparison(baseline.File, status, fixedFindings);
    }

    /// <summary>
    /// The multiset comparison shared with <c>diff</c>: for each current item, whether it is new; and the baseline
    /// findings that need attention and have no current counterpart.
    /// </summary>
    public static (bool[] IsNew, IReadOnlyList<ReportedFinding> Fixed) Classify<T>(IReadOnlyList<T> current, Func<T, string> fingerprint,
        IReadOnlyList<ReportedFinding> baseline)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(baseline);
        var before = baseline.Where(f => ReportWriting.NeedsAttention(f.Outcome)).ToList();
        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var finding in before)
        {
            available[finding.Fingerprint] = available.GetValueOrDefault(finding.Fingerprint) + 1;
        }

        var isNew = new bool[current.Count];
        for (var i = 0; i < current.Count; i++)
        {
            var key = fingerprint(current[i]);
            if (available.GetValueOrDefault(key) is var left and > 0)
            {
                available[key] = left - 1;
            }
            else
            {
                isNew[i] = true;
            }
        }

        // What is left over in the baseline is fixed: its last occurrences, so the unchanged ones keep the first.
        var fixedFindings = new List<ReportedFinding>();
        for (var i = before.Count - 1; i >= 0; i--)
        {
            if (available.GetValueOrDefault(before[i].Fingerprint) is var left and > 0)
            {
                available[before[i].Fingerprint] = left - 1;
                fixedFindings.Add(before[i]);
            }
        }

        fixedFindings.Reverse();
        return (isNew, fixedFindings);
    }

    /// <summary>The status of a finding of the compared evaluation; null for Pass and NotApplicable findings.</summary>
    public BaselineStatus? StatusOf(Finding finding) => _status.TryGetValue(finding, out var status) ? status : null;
}
