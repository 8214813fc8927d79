using System.Globalization;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;

namespace PolicyEngine.Core.Sharding;

/// <summary>The shard reports of one run combined: the unsharded run's result, and who wrote it.</summary>
/// <param name="Result">The findings and rules, as the unsharded evaluation produces them.</param>
/// <param name="ToolName">The tool that wrote the shard reports.</param>
/// <param name="ToolVersion">Its version.</param>
public sealed record MergedReport(EvaluationResult Result, string ToolName, string ToolVersion);

/// <summary>
/// Combines the shard reports of one run (<c>evaluate --shard i/n</c> for every i) into the result of the unsharded
/// run, whatever the order of its inputs. It refuses inputs that are not one run's complete set of shards.
/// </summary>
/// <remarks>
/// Why the result is the unsharded one, byte for byte once rendered: every shard evaluates the same snapshot with the
/// same pack, so a finding's message, location and severity do not depend on the shard; the shards' subjects are
/// disjoint and together every subject (see <see cref="Evaluator"/>'s dispatch); and the report order sorts on rule,
/// account, region, resource and path, where findings that tie on all of these come from one rule and one account,
/// hence from one shard, in which they keep their order. Concatenating the shards in index order and sorting stably
/// therefore gives the unsharded order.
/// </remarks>
public static class ReportMerger
{
    /// <summary>Merges shard reports; null (with PE91xx diagnostics) when they are not one run's complete set.</summary>
    public static MergedReport? Merge(IReadOnlyList<ReadReport> reports, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var before = diagnostics.Count;
        foreach (var report in reports.Where(r => r.Stamp is null || !r.IncludesPassing))
        {
            diagnostics.Add(Error(ShardDiagnosticCodes.NotAShardReport, report,
                report.Stamp is null
                    ? $"'{report.File}' is not a shard report: it has no 'shard' member. Write each shard with evaluate --shard INDEX/COUNT --format json, and merge those reports"
                    : $"'{report.File}' lists only the findings that need attention, so the merged summary would miss its pass and notApplicable findings. Write shard reports with evaluate --shard, which lists every finding"));
        }

        if (diagnostics.Count > before || reports.Count == 0)
        {
            if (reports.Count == 0)
            {
                diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.MissingShard, SourceLocation.None, "merge needs at least one shard report"));
            }

            return null;
        }

        // The reference is the lowest shard (then file name), so diagnostics do not depend on the order of the inputs.
        var ordered = reports.OrderBy(r => r.Stamp!.Shard.Index).ThenBy(r => r.File, StringComparer.Ordinal).ToArray();
        var first = ordered[0];
        var stamp = first.Stamp!;
        foreach (var report in ordered.Skip(1))
        {
            var other = report.Stamp!;
            if (other.Shard.Count != stamp.Shard.Count)
            {
                diagnostics.Add(Error(ShardDiagnosticCodes.ShardCountMismatch, report,
                    $"'{report.File}' is shard {other.Shard} but '{first.File}' is shard {stamp.Shard}: every shard of one run has the same count. Merge the reports of one run only"));
            }

            if (report.Snapshot != first.Snapshot || other.SnapshotSha256 != stamp.SnapshotSha256)
            {
                diagnostics.Add(Error(ShardDiagnosticCodes.SnapshotMismatch, report,
                    $"'{report.File}' evaluated {Describe(report.Snapshot, other.SnapshotSha256)} but '{first.File}' evaluated {Describe(first.Snapshot, stamp.SnapshotSha256)}: every shard must evaluate the same snapshot file"));
            }

            if (Difference(first, report) is { } difference)
            {
                diagnostics.Add(Error(ShardDiagnosticCodes.PackMismatch, report,
                    $"'{report.File}' and '{first.File}' differ in {difference}: every shard must run the same tool, rule pack and configuration"));
            }
        }

        foreach (var duplicate in ordered.GroupBy(r => r.Stamp!.Shard.Index).Where(g => g.Count() > 1))
        {
            var files = duplicate.Select(r => $"'{r.File}'").ToArray();
            diagnostics.Add(Error(ShardDiagnosticCodes.DuplicateShard, duplicate.ElementAt(1),
                $"{string.Join(" and ", files)} are both shard {duplicate.First().Stamp!.Shard}: give each shard once"));
        }

        var present = ordered.Select(r => r.Stamp!.Shard.Index).ToHashSet();
        var missing = Enumerable.Range(0, stamp.Shard.Count).Where(i => !present.Contains(i)).ToArray();
        if (missing.Length > 0 && diagnostics.Count == before)
        {
            var shown = string.Join(", ", missing.Take(10).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}/{stamp.Shard.Count}")));
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.MissingShard, SourceLocation.None,
                $"{missing.Length} of {stamp.Shard.Count} shards {(missing.Length == 1 ? "is" : "are")} missing: {shown}{(missing.Length > 10 ? ", ..." : string.Empty)}. Merge every shard's report, or the findings of their accounts would be absent and read as compliance"));
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        var findings = ordered.SelectMany(r => r.Findings).ToArray();
        var order = new int[findings.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) => Evaluator.CompareForReport(findings[x], findings[y]) is var c and not 0 ? c : x.CompareTo(y));
        var sorted = new Finding[findings.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = findings[order[i]];
        }

        return new MergedReport(new EvaluationResult(first.Snapshot, first.Rules, sorted) { CollectedAt = first.CollectedAt }, first.ToolName, first.ToolVersion);
    }

    private static string? Difference(ReadReport a, ReadReport b)
    {
        if (a.ToolName != b.ToolName || a.ToolVersion != b.ToolVersion)
        {
            return $"tool ({a.ToolName} {a.ToolVersion} and {b.ToolName} {b.ToolVersion})";
        }

        if (a.Stamp!.PackSha256 != b.Stamp!.PackSha256 || !a.Rules.Select(r => r.Id).SequenceEqual(b.Rules.Select(r => r.Id), StringComparer.Ordinal))
        {
            return "rule pack (packSha256 or the rules that ran)";
        }

        return a.Stamp.ConfigSha256 != b.Stamp.ConfigSha256 ? "policy configuration (configSha256)" : null;
    }

    private static string Describe(string snapshot, string sha256) => $"{snapshot} (sha256 {sha256[..Math.Min(12, sha256.Length)]}...)";

    private static Diagnostic Error(string code, ReadReport report, string message) =>
        Diagnostic.Error(code, new SourceLocation(report.File, 0, 0), message);
}
