using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using static PolicyEngine.Policies.Tests.SampleReports;

namespace PolicyEngine.Policies.Tests.Evaluation;

/// <summary>
/// Counting Pass and NotApplicable findings instead of holding them (<see cref="EvaluationOptions.CountPassing"/>) is
/// invisible in every report that does not read them one by one: the shipped pack over each sample and a generated
/// organization renders the same bytes either way.
/// </summary>
public sealed class CountPassingTests
{
    public static TheoryData<string> Samples() => new("sra-aligned", "typical-gaps", "partial-evidence");

    [Theory]
    [MemberData(nameof(Samples))]
    public void Reports_that_do_not_read_passing_findings_render_the_same_bytes_from_counts(string sample)
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", sample + ".json"));
        AssertCountingIsInvisible(snapshot, $"samples/{sample}.json");
    }

    [Fact]
    public void A_generated_organization_renders_the_same_bytes_from_counts()
    {
        using var snapshot = Generated(seed: 11);
        AssertCountingIsInvisible(snapshot, "generated.json");
    }

    [Fact]
    public void Only_the_reports_that_list_passing_findings_or_chart_them_read_them()
    {
        var context = new ReportContext { ToolVersion = "1.2.3", SnapshotPath = "s.json" };
        Assert.Equal(["html", "junit"], FindingsReporters.All.Where(r => r.ReadsPassingFindings(context)).Select(r => r.Format).Order(StringComparer.Ordinal));
        Assert.Equal(["markdown"], FindingsReporters.All.Where(r => !r.ReadsPassingFindings(context with { IncludePassing = true })).Select(r => r.Format));
    }

    [Fact]
    public void Counted_findings_are_the_pass_and_not_applicable_ones_of_the_whole_result_by_rule_and_outcome()
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json"));
        var rules = SraPack.Compilation.RuleSet!;
        var whole = Evaluator.Evaluate(rules, snapshot);
        var counted = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { CountPassing = true });

        Assert.Empty(whole.Counted);
        Assert.Equal(
            whole.Findings.Where(f => ReportWriting.NeedsAttention(f.Outcome)).Select(Show),
            counted.Findings.Select(Show));
        var expected = whole.Findings.Where(f => f.Outcome is Outcome.Pass or Outcome.NotApplicable)
            .GroupBy(f => (f.Rule.Id, f.Outcome))
            .OrderBy(g => g.Key.Id, StringComparer.Ordinal).ThenBy(g => g.Key.Outcome == Outcome.Pass ? 0 : 1)
            .Select(g => $"{g.Key.Id} {g.Key.Outcome.ToName()} {g.Count()}")
            .ToArray();
        Assert.Equal(expected, counted.Counted.Select(c => $"{c.Rule.Id} {c.Outcome.ToName()} {c.Count}"));
        // Not a vacuous check: the sample has both outcomes, over many rules, and most of its findings are counted.
        Assert.Contains(counted.Counted, c => c.Outcome == Outcome.Pass);
        Assert.Contains(counted.Counted, c => c.Outcome == Outcome.NotApplicable);
        Assert.True(counted.Counted.Sum(c => c.Count) > counted.Findings.Count);

        var before = ReportSummary.From(whole);
        var after = ReportSummary.From(counted);
        Assert.Equal(before.Total, after.Total);
        Assert.All(ReportSummary.OutcomeOrder, outcome => Assert.Equal(before.Count(outcome), after.Count(outcome)));
        Assert.All(before.Categories, category =>
            Assert.All(ReportSummary.OutcomeOrder, outcome => Assert.Equal(before.Count(category, outcome), after.Count(category, outcome))));
    }

    [Fact]
    public void A_filter_cannot_be_applied_to_counts_but_an_empty_one_leaves_them()
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json"));
        var counted = Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot, new EvaluationOptions { CountPassing = true });
        Assert.Same(counted, new ReportFilter().Apply(counted));
        Assert.Throws<ArgumentException>(() => new ReportFilter { Regions = ["eu-west-1"] }.Apply(counted));
    }

    private static void AssertCountingIsInvisible(Snapshot snapshot, string snapshotName)
    {
        var rules = SraPack.Compilation.RuleSet!;
        var whole = Evaluator.Evaluate(rules, snapshot);
        var counted = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { CountPassing = true });
        Assert.NotEmpty(counted.Counted);
        var compared = 0;
        foreach (var reporter in FindingsReporters.All)
        {
            foreach (var includePassing in new[] { false, true })
            {
                var context = new ReportContext { ToolVersion = "1.2.3", SnapshotPath = snapshotName, IncludePassing = includePassing };
                if (reporter.ReadsPassingFindings(context))
                {
                    continue;
                }

                compared++;
                Assert.True(Render(reporter, whole, context) == Render(reporter, counted, context),
                    $"{reporter.Format} (includePassing {includePassing}) of {snapshotName} differs when Pass and NotApplicable findings are counted");
            }
        }

        Assert.Equal(8, compared);
    }

    private static string Show(Finding f) => $"{f.Rule.Id} {f.Subject.SortKey} {f.Path} {f.Outcome.ToName()} {f.Severity} {f.Line}:{f.Column} {f.Message} {f.Suppression?.Justification}";
}
