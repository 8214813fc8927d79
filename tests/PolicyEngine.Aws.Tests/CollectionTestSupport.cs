using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.Runtime;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Http;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Tests.Fakes;

namespace PolicyEngine.Aws.Tests;

public sealed class ListLog : ICollectionLog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Log(CollectionLogLevel level, string message) => Lines.Enqueue($"{level}: {message}");
}

public sealed class ListProgress : IProgress<CollectionProgress>
{
    public ConcurrentQueue<CollectionProgress> Events { get; } = new();

    public void Report(CollectionProgress value) => Events.Enqueue(value);
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public static class CollectionTestSupport
{
    public static string PlanDirectory => Path.Combine(AppContext.BaseDirectory, "collectors");

    internal static CollectionPlan LoadPlan() => CollectionPlan.Load(PlanDirectory);

    internal static CollectOptions Options(FakeAwsServer server, string output, IReadOnlyList<string>? regions = null, int concurrency = 32) => new()
    {
        OutputPath = output,
        Regions = regions ?? [],
        EndpointOverride = server.BaseUri,
        PlanDirectory = PlanDirectory,
        Credentials = new BasicAWSCredentials(FakeOrganization.BaseAccessKey, FakeOrganization.BaseSecretKey),
        MaxConcurrency = concurrency,
        MaxConcurrencyPerService = concurrency,
        OrganizationsConcurrency = 4,
        Retry = new RetrySettings { MaxAttempts = 6, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(20) },
    };

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "pe-aws-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static JsonDocument ReadSnapshot(string path) => JsonDocument.Parse(SnapshotFile.ReadAll(path));

    public sealed record Rec(string Service, string Operation, string Account, string Region, string Parameters, string Status, JsonElement Element)
    {
        public string Key => $"{Service}|{Operation}|{Account}|{Region}|{Parameters}";
        /// <summary>The key as the fake server sees it: global calls land in us-east-1.</summary>
        public string ServerKey => $"{Service}|{Operation}|{Account}|{(Region == "global" ? "us-east-1" : Region)}|{Parameters}";
        public string? ErrorCode => Element.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString() : null;
    }

    public static List<Rec> Records(JsonDocument doc) =>
    [
        .. doc.RootElement.GetProperty("evidence").EnumerateArray().Select(e => new Rec(
            e.GetProperty("service").GetString()!, e.GetProperty("operation").GetString()!, e.GetProperty("account").GetString()!,
            e.GetProperty("region").GetString()!, EvidenceRecord.Canonical(System.Text.Json.Nodes.JsonNode.Parse(e.GetProperty("parameters").GetRawText())),
            e.GetProperty("status").GetString()!, e)),
    ];

    /// <summary>Number of records one entry yields without fan-out (its static values, else one).</summary>
    internal static int StaticCount(PlanEntry e) =>
        e.ForEach.Any(f => f.From is not null) ? 1 : Math.Max(1, e.ForEach.Where(f => f.Values is not null).Sum(f => f.Values!.Count));
}
