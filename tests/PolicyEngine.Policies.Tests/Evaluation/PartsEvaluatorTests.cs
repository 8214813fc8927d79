using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.OrgGenerator;
using static PolicyEngine.Policies.Tests.SampleReports;

namespace PolicyEngine.Policies.Tests.Evaluation;

/// <summary>
/// Evaluating a snapshot file part by part (<see cref="PartsEvaluator"/>) gives what evaluating it whole gives: the
/// shipped pack over each sample and generated organizations, split into 2, 3 and 8 parts, renders the same bytes in
/// every format, with Pass and NotApplicable findings listed or counted.
/// </summary>
public sealed class PartsEvaluatorTests
{
    public static TheoryData<string, int> SamplesAndCounts()
    {
        var data = new TheoryData<string, int>();
        foreach (var sample in new[] { "sra-aligned", "typical-gaps", "partial-evidence" })
        {
            foreach (var count in new[] { 2, 3, 8 })
            {
                data.Add(sample, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndCounts))]
    public void A_sample_evaluated_in_parts_renders_every_report_as_evaluated_whole(string sample, int count)
    {
        AssertPartsAreInvisible(Path.Combine(RepositoryPaths.Root, "samples", sample + ".json"), count);
    }

    [Theory]
    [InlineData(11, 2)]
    [InlineData(11, 3)]
    [InlineData(23, 8)]
    public void A_generated_organization_evaluated_in_parts_renders_every_report_as_evaluated_whole(int seed, int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-engine-parts-{Guid.NewGuid():N}.json");
        try
        {
            OrganizationGenerator.WriteFile(path, new GeneratorOptions { Accounts = 40, RegionCount = 3, Resources = 300, FailureShare = 0.2, ErrorShare = 0.1, Seed = seed });
            AssertPartsAreInvisible(path, count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertPartsAreInvisible(string path, int count)
    {
        var rules = SraPack.Compilation.RuleSet!;
        using var snapshot = Load(path);
        using var parts = SnapshotParts.TryPlanCount(path, count);
        Assert.NotNull(parts);
        Assert.Equal(count, parts.Count);
        foreach (var countPassing in new[] { false, true })
        {
            var options = new EvaluationOptions { CountPassing = countPassing };
            var whole = Evaluator.Evaluate(rules, snapshot, options);
            var inParts = PartsEvaluator.Evaluate(rules, parts, options);
            Assert.NotNull(inParts);
            Assert.Equal(whole.Counted.Select(c => $"{c.Rule.Id} {c.Outcome} {c.Count}"), inParts.Counted.Select(c => $"{c.Rule.Id} {c.Outcome} {c.Count}"));
            Assert.Equal(whole.Findings.Count, inParts.Findings.Count);
            foreach (var reporter in FindingsReporters.All)
            {
                foreach (var includePassing in new[] { false, true })
                {
                    var context = new ReportContext { ToolVersion = "1.2.3", SnapshotPath = "snapshot.json", IncludePassing = includePassing };
                    if (countPassing && reporter.ReadsPassingFindings(context))
                    {
                        continue;
                    }

                    Assert.Equal(Render(reporter, whole, context), Render(reporter, inParts, context));
                }
            }
        }
    }
}
