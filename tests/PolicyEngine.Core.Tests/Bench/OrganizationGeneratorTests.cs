using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.OrgGenerator;

namespace PolicyEngine.Core.Tests.Bench;

/// <summary>
/// The seeded organization generator under bench/ feeds the benchmarks and the scale tests, so what it writes must
/// load without a diagnostic, be the same for the same options, and honour its counts and shares.
/// </summary>
public sealed class OrganizationGeneratorTests
{
    private static readonly GeneratorOptions Small = new() { Accounts = 12, RegionCount = 3, Resources = 200, FailureShare = 0.25, ErrorShare = 0.1, Seed = 7 };

    [Fact]
    public void Same_options_give_the_same_bytes_and_another_seed_other_bytes()
    {
        var first = OrganizationGenerator.Generate(Small);
        Assert.Equal(first, OrganizationGenerator.Generate(Small));
        Assert.NotEqual(first, OrganizationGenerator.Generate(Small with { Seed = 8 }));
    }

    [Fact]
    public void The_snapshot_loads_with_every_account_region_and_config_item()
    {
        using var stream = new MemoryStream();
        var result = OrganizationGenerator.Write(stream, Small);
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(stream.ToArray(), "generated.json", diagnostics);

        Assert.Empty(diagnostics);
        Assert.NotNull(snapshot);
        Assert.Equal(7 + 12, snapshot.Accounts!.Count);
        Assert.Equal(19, result.Accounts);
        Assert.Equal(["eu-west-1", "us-east-1", "us-west-2"], snapshot.GovernedRegions);
        Assert.Equal(result.EvidenceRecords, snapshot.Evidence.Count);
        Assert.Equal(4 + 200, snapshot.Resources.Count);
        Assert.Equal(result.Resources, snapshot.Resources.Count);
        Assert.Equal(stream.Length, result.Bytes);
        Assert.Contains(snapshot.Evidence, e => e.Key.Account == OrganizationGenerator.AccountId(11) && e.Key.Region == "us-west-2");
        Assert.True(result.FailingServices > 0 && result.ErroredServices > 0 && result.FailingResources > 0);
    }

    [Fact]
    public void Without_failures_every_generated_account_holds_the_template_accounts_evidence()
    {
        var result = OrganizationGenerator.Generate(Small with { FailureShare = 0, ErrorShare = 0 });
        using var snapshot = SnapshotLoader.Load(result, "generated.json", new List<Diagnostic>())!;
        var template = Shape(snapshot, OrganizationGenerator.TemplateAccount);

        Assert.NotEmpty(template);
        Assert.Equal(template, Shape(snapshot, OrganizationGenerator.AccountId(0)));
        Assert.Equal(template, Shape(snapshot, OrganizationGenerator.AccountId(11)));
    }

    [Fact]
    public void Shares_of_one_fail_every_service_the_gaps_template_has_or_deny_every_call()
    {
        using var all = new MemoryStream();
        var failing = OrganizationGenerator.Write(all, Small with { FailureShare = 1, ErrorShare = 0 });
        var denied = OrganizationGenerator.Write(new MemoryStream(), Small with { FailureShare = 0, ErrorShare = 1 });
        using var snapshot = SnapshotLoader.Load(all.ToArray(), "generated.json", new List<Diagnostic>())!;

        Assert.Equal(0, failing.ErroredServices);
        Assert.Equal(12 * 24, failing.FailingServices);
        Assert.Equal(200 - 40, failing.FailingResources);
        Assert.True(denied.ErroredServices > failing.FailingServices);
        Assert.Equal(0, denied.FailingServices);
    }

    [Fact]
    public void Adding_accounts_keeps_the_earlier_accounts_as_they_were()
    {
        using var fewer = SnapshotLoader.Load(OrganizationGenerator.Generate(Small with { Resources = 0 }), "a.json", new List<Diagnostic>())!;
        using var more = SnapshotLoader.Load(OrganizationGenerator.Generate(Small with { Resources = 0, Accounts = 20 }), "b.json", new List<Diagnostic>())!;

        Assert.Equal(Records(fewer, OrganizationGenerator.AccountId(5)), Records(more, OrganizationGenerator.AccountId(5)));
    }

    private static string[] Shape(Snapshot snapshot, string account) =>
        [.. snapshot.Evidence.Where(e => e.Key.Account == account)
            .Select(e => $"{e.Key.Service}:{e.Key.Operation}@{e.Key.Region} {e.Status}")
            .Order(StringComparer.Ordinal)];

    private static string[] Records(Snapshot snapshot, string account) =>
        [.. snapshot.Evidence.Where(e => e.Key.Account == account).Select(e => $"{e.Key} {e.Status} {e.Response?.GetRawText()}")];
}
