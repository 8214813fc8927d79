using PolicyEngine.Aws.Http;

namespace PolicyEngine.Aws.Tests.Http;

/// <summary>
/// The gate bounds calls overall and per service for one caller (region and account session), where AWS rate-limits;
/// a per-service bound across the organization held collect to half its concurrency.
/// </summary>
public sealed class ConcurrencyGateTests
{
    [Fact]
    public async Task Calls_of_one_service_to_many_accounts_use_the_whole_overall_concurrency()
    {
        // collect's defaults: 32 calls in flight, 16 per service. GuardDuty in 32 accounts at once (32 sessions).
        using var gate = new ConcurrencyGate(32, 16);
        var slots = Enumerable.Range(0, 32).Select(i => gate.EnterAsync("guardduty", $"eu-west-1|ASIAACCOUNT{i:D8}", CancellationToken.None)).ToList();
        Assert.All(slots, s => Assert.True(s.IsCompletedSuccessfully));

        // The 33rd waits for the overall bound, and gets a slot as soon as one call ends.
        var next = gate.EnterAsync("guardduty", "eu-west-1|ASIAACCOUNT00000032", CancellationToken.None);
        Assert.False(next.IsCompleted);
        (await slots[0]).Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Fact]
    public async Task One_caller_in_one_region_is_bounded_per_service()
    {
        using var gate = new ConcurrencyGate(32, 16);
        var slots = Enumerable.Range(0, 16).Select(_ => gate.EnterAsync("guardduty", "eu-west-1|ASIAONE", CancellationToken.None)).ToList();
        Assert.All(slots, s => Assert.True(s.IsCompletedSuccessfully));
        var seventeenth = gate.EnterAsync("guardduty", "eu-west-1|ASIAONE", CancellationToken.None);
        Assert.False(seventeenth.IsCompleted);

        // Another region, or another service, of the same caller is not held back.
        Assert.True(gate.EnterAsync("guardduty", "us-east-1|ASIAONE", CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(gate.EnterAsync("securityhub", "eu-west-1|ASIAONE", CancellationToken.None).IsCompletedSuccessfully);
        (await slots[3]).Dispose();
        (await seventeenth.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Fact]
    public async Task An_override_bounds_its_service_for_the_one_caller_that_calls_it()
    {
        using var gate = new ConcurrencyGate(32, 16, new Dictionary<string, int> { ["organizations"] = 4 });
        var slots = Enumerable.Range(0, 4).Select(_ => gate.EnterAsync("organizations", "us-east-1|AKIDBASE", CancellationToken.None)).ToList();
        Assert.All(slots, s => Assert.True(s.IsCompletedSuccessfully));
        var fifth = gate.EnterAsync("organizations", "us-east-1|AKIDBASE", CancellationToken.None);
        Assert.False(fifth.IsCompleted);
        (await slots[0]).Dispose();
        (await fifth.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }
}
