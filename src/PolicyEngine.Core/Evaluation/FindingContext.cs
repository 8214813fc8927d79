using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// What the findings of one evaluation share to make their fingerprints and positions when first read: the snapshot's
/// record identities, and where the findings' paths are in the file.
/// </summary>
internal sealed class FindingContext(FindingFingerprint fingerprints, SnapshotLocator locator)
{
    private IReadOnlyDictionary<NormalizedPath, (int Line, int Column)>? _now;
    private Lazy<IReadOnlyDictionary<NormalizedPath, (int Line, int Column)>>? _later;

    /// <summary>The snapshot's record identities.</summary>
    public FindingFingerprint Fingerprints { get; } = fingerprints;

    /// <summary>
    /// Locates the paths of the evaluation's findings: those that need attention at once; Pass and NotApplicable ones
    /// (most of a large organization's, and only counted unless a report lists them) together, in one more pass over
    /// the snapshot, the first time a report reads one's line.
    /// </summary>
    public void Locate(IReadOnlyList<Finding> findings)
    {
        _now = locator.Locate(findings.Where(f => f.Path is not null && LocatedNow(f.Outcome)).Select(f => f.Path!).Distinct());
        _later = new(() => locator.Locate(findings.Where(f => f.Path is not null && !LocatedNow(f.Outcome)).Select(f => f.Path!).Distinct()),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The line and column of a finding's path, (0, 0) when it is not found.</summary>
    public (int Line, int Column) Locate(NormalizedPath path, Outcome outcome)
    {
        var found = LocatedNow(outcome) ? _now : _later?.Value;
        return found is not null && found.TryGetValue(path, out var position) ? position : (0, 0);
    }

    private static bool LocatedNow(Outcome outcome) => outcome is not (Outcome.Pass or Outcome.NotApplicable);
}
