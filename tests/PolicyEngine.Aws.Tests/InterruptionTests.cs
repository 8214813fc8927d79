using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// An interrupted collection (Ctrl-C arrives as cancellation) never leaves a half-written snapshot, and never
/// replaces a previous complete snapshot; a repeated collection of the same organization is byte-identical.
/// </summary>
public sealed class InterruptionTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];

    [Fact]
    public async Task Cancelled_collection_writes_nothing_and_keeps_the_previous_snapshot()
    {
        var org = FakeOrganization.Create(20, Regions);
        using var server = new FakeAwsServer(org, LoadPlan());
        var dir = TempDir();
        try
        {
            var output = Path.Combine(dir, "snapshot.json");
            await File.WriteAllTextAsync(output, "previous complete snapshot");
            using var cancel = new CancellationTokenSource();
            // Cancel once the collection is well under way, as Ctrl-C would.
            var progress = new CancelAfterCalls(cancel, 50);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new OrganizationCollector().CollectAsync(Options(server, output, Regions), progress, null, cancel.Token));

            Assert.Equal("previous complete snapshot", await File.ReadAllTextAsync(output));
            Assert.Equal(["snapshot.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Collecting_the_same_organization_twice_gives_identical_bytes()
    {
        var org = FakeOrganization.Create(12, Regions);
        using var server = new FakeAwsServer(org, LoadPlan());
        var dir = TempDir();
        try
        {
            var time = new FixedTime(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
            var first = Path.Combine(dir, "first.json");
            var second = Path.Combine(dir, "second.json");
            await new OrganizationCollector(time).CollectAsync(Options(server, first, Regions, concurrency: 8), null, null, CancellationToken.None);
            await new OrganizationCollector(time).CollectAsync(Options(server, second, Regions, concurrency: 3), null, null, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class CancelAfterCalls(CancellationTokenSource cancel, long calls) : IProgress<CollectionProgress>
    {
        public void Report(CollectionProgress value)
        {
            if (value.Calls >= calls)
            {
                cancel.Cancel();
            }
        }
    }
}
