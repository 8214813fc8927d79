using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Sharding;
using PolicyEngine.Core.Snapshots;
using static PolicyEngine.Policies.Tests.SampleReports;

namespace PolicyEngine.Policies.Tests.Sharding;

/// <summary>
/// Sharding is invisible in the result: the shipped pack evaluated shard by shard, each shard written as a JSON shard
/// report, read back and merged in a shuffled order, renders byte for byte what the unsharded evaluation renders, in
/// every format.
/// </summary>
public sealed class ShardEquivalenceTests
{
    private static readonly string Digest = new('0', 64);

    public static TheoryData<string, int> SamplesAndCounts()
    {
        var data = new TheoryData<string, int>();
        foreach (var sample in new[] { "sra-aligned", "typical-gaps", "partial-evidence" })
        {
            foreach (var count in new[] { 1, 3, 8 })
            {
                data.Add(sample, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndCounts))]
    public void Merged_shards_render_the_unsharded_report_in_every_format(string sample, int count)
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", sample + ".json"));
        AssertShardsMergeToWhole(snapshot, $"samples/{sample}.json", count, seed: count);
    }

    [Fact]
    public void Merged_shards_of_a_generated_organization_render_the_unsharded_report()
    {
        using var snapshot = Generated(seed: 7);
        Assert.Equal(47, snapshot.Accounts!.Count);
        foreach (var count in new[] { 1, 3, 8 })
        {
            AssertShardsMergeToWhole(snapshot, "generated.json", count, seed: count);
        }
    }

    [Fact]
    public void Shards_partition_the_subjects_and_only_shard_0_runs_organization_rules()
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json"));
        var whole = Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot);
        var shards = Enumerable.Range(0, 3).Select(i => Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot,
            new EvaluationOptions { Shard = Shard.Create(i, 3) })).ToArray();

        Assert.Equal(whole.Findings.Count, shards.Sum(s => s.Findings.Count));
        var organizationRules = whole.Findings.Where(f => f.Subject.Kind == Core.Rules.Model.TargetKind.Organization).Select(f => f.Rule.Id).Distinct().ToArray();
        Assert.NotEmpty(organizationRules);
        Assert.All(shards.Skip(1), s => Assert.DoesNotContain(s.Findings, f => f.Subject.Kind == Core.Rules.Model.TargetKind.Organization));
        for (var i = 0; i < shards.Length; i++)
        {
            var index = i;
            Assert.All(shards[i].Findings.Where(f => f.Subject.Kind != Core.Rules.Model.TargetKind.Organization && f.Subject.Kind != Core.Rules.Model.TargetKind.Resource),
                f => Assert.Equal(index, Shard.Of(f.Subject.Account!, 3)));
        }

        // The sample's accounts do fall in more than one shard, so this is not the trivial partition.
        Assert.True(shards.Count(s => s.Findings.Any(f => f.Subject.Kind == Core.Rules.Model.TargetKind.Account)) >= 2);
    }

    [Fact]
    public void Randomized_counts_and_input_orders_merge_to_the_unsharded_report()
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json"));
        var random = new Random(20261204);
        for (var trial = 0; trial < 6; trial++)
        {
            AssertShardsMergeToWhole(snapshot, "samples/typical-gaps.json", random.Next(1, 17), seed: random.Next());
        }
    }

    [Fact]
    public void Json_report_reads_back_into_the_same_bytes()
    {
        using var snapshot = Load(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json"));
        var result = Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot);
        var context = Context("samples/typical-gaps.json", includePassing: true);
        var written = Render(new JsonReporter(), result, context);
        var diagnostics = new List<Diagnostic>();
        using var document = JsonDocument.Parse(written);
        var read = JsonReportReader.Read(document.RootElement, "report.json", diagnostics);
        Assert.Empty(diagnostics);
        var again = Render(new JsonReporter(), read!.ToResult(), context);
        Assert.Equal(written, again);
    }

    private static void AssertShardsMergeToWhole(Snapshot snapshot, string snapshotName, int count, int seed)
    {
        var rules = SraPack.Compilation.RuleSet!;
        var whole = Evaluator.Evaluate(rules, snapshot);
        var reports = new List<ReadReport>();
        for (var index = 0; index < count; index++)
        {
            var shard = Shard.Create(index, count);
            var result = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Shard = shard });
            var context = Context(snapshotName, includePassing: true) with { Shard = new ShardStamp(shard, Digest, Digest, null) };
            using var document = JsonDocument.Parse(Render(new JsonReporter(), result, context));
            var diagnostics = new List<Diagnostic>();
            reports.Add(JsonReportReader.Read(document.RootElement, $"shard-{index}.json", diagnostics)!);
            Assert.Empty(diagnostics);
        }

        // Merge is order-independent: the inputs arrive shuffled.
        var shuffled = reports.ToArray();
        new Random(seed).Shuffle(shuffled);
        var mergeDiagnostics = new List<Diagnostic>();
        var merged = ReportMerger.Merge(shuffled, mergeDiagnostics);
        Assert.Empty(mergeDiagnostics.Select(d => d.ToString()));
        Assert.Equal("policy-engine", merged!.ToolName);

        // What no format renders yet is carried too, so formats added later follow.
        Assert.Equal(whole.CollectedAt, merged.Result.CollectedAt);
        Assert.Equal(whole.Findings.Select(f => f.Subject), merged.Result.Findings.Select(f => f.Subject));

        foreach (var reporter in FindingsReporters.All)
        {
            foreach (var includePassing in new[] { false, true })
            {
                var context = Context(snapshotName, includePassing);
                var expected = Render(reporter, whole, context);
                var actual = Render(reporter, merged.Result, context with { ToolVersion = merged.ToolVersion, SnapshotPath = merged.Result.Snapshot });
                Assert.True(expected == actual, $"{reporter.Format} (includePassing {includePassing}) of {count} merged shards differs from the unsharded report of {snapshotName}");
            }
        }
    }

    private static ReportContext Context(string snapshot, bool includePassing) =>
        new() { ToolVersion = "1.2.3", SnapshotPath = snapshot, IncludePassing = includePassing };
}
