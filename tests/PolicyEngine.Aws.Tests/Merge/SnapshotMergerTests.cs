using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Merge;
using PolicyEngine.Aws.Tests.Fakes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Sharding;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests.Merge;

/// <summary>
/// <c>merge SNAPSHOT...</c>: the shards of <c>collect --shard</c> merge into what one unsharded collection writes,
/// whatever the order of the inputs; parts that disagree are refused at the disagreeing element.
/// </summary>
public sealed class SnapshotMergerTests : IDisposable
{
    private static readonly DateTimeOffset CollectedAt = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly string _dir = TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Collect(FakeAwsServer server, string name, Shard shard)
    {
        var output = Path.Combine(_dir, name);
        var options = Options(server, output, ["us-east-1", "eu-west-1"]);
        options = new CollectOptions
        {
            OutputPath = output, Regions = options.Regions, EndpointOverride = options.EndpointOverride, PlanDirectory = options.PlanDirectory,
            Credentials = options.Credentials, Retry = options.Retry, MaxConcurrency = options.MaxConcurrency,
            MaxConcurrencyPerService = options.MaxConcurrencyPerService, OrganizationsConcurrency = options.OrganizationsConcurrency, Shard = shard,
        };
        new OrganizationCollector(new FixedTime(CollectedAt)).CollectAsync(options, null, null, CancellationToken.None).GetAwaiter().GetResult();
        return output;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (SnapshotMergeResult? Result, List<Diagnostic> Diagnostics, string Output) Merge(params string[] inputs)
    {
        var diagnostics = new List<Diagnostic>();
        var output = Path.Combine(_dir, $"merged-{Guid.NewGuid():N}.json");
        return (SnapshotMerger.Merge(inputs, output, diagnostics), diagnostics, output);
    }

    private static Dictionary<string, JsonElement> EvidenceByKey(JsonElement root) =>
        Records(root).ToDictionary(r => r.Key, r => r.Element, StringComparer.Ordinal);

    private static List<Rec> Records(JsonElement root)
    {
        using var doc = JsonDocument.Parse(root.GetRawText());
        return [.. CollectionTestSupport.Records(doc).Select(r => r with { Element = r.Element.Clone() })];
    }

    [Fact]
    public void Three_collected_shards_merge_into_the_unsharded_collection_in_every_order()
    {
        using var server = new FakeAwsServer(FakeOrganization.Create(12, ["us-east-1", "eu-west-1"]), LoadPlan());
        var whole = Collect(server, "whole.json", Shard.Whole);
        var shards = Enumerable.Range(0, 3).Select(i => Collect(server, $"shard-{i}.json", Shard.Create(i, 3))).ToArray();

        // Only shard 0 writes the organization and its records; each account is collected by exactly one shard.
        using (var zero = ReadSnapshot(shards[0]))
        using (var one = ReadSnapshot(shards[1]))
        {
            Assert.True(zero.RootElement.TryGetProperty("organization", out _));
            Assert.False(one.RootElement.TryGetProperty("organization", out _));
            Assert.DoesNotContain(CollectionTestSupport.Records(one), r => r.Service == "organizations" && r.Account == FakeOrganization.ManagementAccount && r.Region == "global" && r.Operation == "ListAccounts");
            Assert.All(CollectionTestSupport.Records(one), r => Assert.Equal(1, Shard.Of(r.Account, 3)));
        }

        var orders = new[] { new[] { 0, 1, 2 }, [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0] };
        var outputs = orders.Select(order => Merge([.. order.Select(i => shards[i])])).ToList();
        Assert.All(outputs, o => Assert.Empty(o.Diagnostics));
        var first = File.ReadAllBytes(outputs[0].Output);
        Assert.All(outputs, o => Assert.Equal(first, File.ReadAllBytes(o.Output)));

        using var merged = ReadSnapshot(outputs[0].Output);
        using var expected = ReadSnapshot(whole);
        var m = merged.RootElement;
        var e = expected.RootElement;
        foreach (var section in new[] { "organization", "roles", "regions" })
        {
            Assert.True(JsonElement.DeepEquals(e.GetProperty(section), m.GetProperty(section)), $"{section} differs");
        }

        var expectedEvidence = EvidenceByKey(e);
        var mergedEvidence = EvidenceByKey(m);
        Assert.Equal(expectedEvidence.Keys.Order(StringComparer.Ordinal), mergedEvidence.Keys.Order(StringComparer.Ordinal));
        Assert.All(expectedEvidence, kv => Assert.True(JsonElement.DeepEquals(kv.Value, mergedEvidence[kv.Key]), kv.Key));
        Assert.True(JsonElement.DeepEquals(e.GetProperty("coverage").GetProperty("byStatus"), m.GetProperty("coverage").GetProperty("byStatus")));
        Assert.Equal("merge", m.GetProperty("metadata").GetProperty("source").GetString());
        Assert.Equal("2026-12-01T09:30:00Z", m.GetProperty("metadata").GetProperty("collectedAt").GetString());
        Assert.Equal(
            shards.Select(s => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(s)))).Order(StringComparer.Ordinal),
            m.GetProperty("metadata").GetProperty("mergedFrom").EnumerateArray().Select(p => p.GetProperty("sha256").GetString()!));
        Assert.Equal((3, expectedEvidence.Count, 0), (outputs[0].Result!.Inputs, outputs[0].Result!.EvidenceRecords, outputs[0].Result!.DuplicatesDropped));
    }

    private const string Head = """
        {
          "formatVersion": "1.0",
          "metadata": { "collectedAt": "2026-11-30T12:00:00Z", "partition": "PARTITION", "source": "SOURCE" },
          "regions": { "governed": ["eu-west-1"] },
          "evidence": [

        """;

    private static string Snapshot(string evidence, string partition = "aws", string source = "live", string resources = "") =>
        Head.Replace("PARTITION", partition, StringComparison.Ordinal).Replace("SOURCE", source, StringComparison.Ordinal) + evidence + "\n  ]" +
        (resources.Length > 0 ? ",\n  \"resources\": [\n" + resources + "\n  ],\n  \"coverage\": { \"sections\": { \"resources\": \"collected\" } }" : string.Empty) + "\n}\n";

    private const string DetectorOk = """    { "service": "guardduty", "operation": "ListDetectors", "account": "222222222222", "region": "eu-west-1", "status": "ok", "response": { "DetectorIds": ["d1"] } }""";

    private const string DetectorDenied = """    { "service": "guardduty", "operation": "ListDetectors", "account": "222222222222", "region": "eu-west-1", "status": "error", "error": { "code": "AccessDeniedException", "message": "denied" } }""";

    private const string DetectorNotCollected = """    { "service": "guardduty", "operation": "ListDetectors", "account": "222222222222", "region": "eu-west-1", "status": "notCollected", "reason": "role not assumed" }""";

    private static string Digest(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The two paths as the merge orders them: by the SHA-256 of their content.</summary>
    private static (string Earlier, string Later) ByDigest(string a, string b) =>
        string.CompareOrdinal(Digest(a), Digest(b)) < 0 ? (a, b) : (b, a);

    [Fact]
    public void An_evidence_record_two_parts_answer_differently_is_PE4040_at_the_later_part()
    {
        var (earlier, later) = ByDigest(Write("a.json", Snapshot(DetectorOk)), Write("b.json", Snapshot(DetectorDenied)));
        var (result, diagnostics, output) = Merge(earlier, later);
        Assert.Null(result);
        Assert.False(File.Exists(output));
        var laterIs = later == Path.Combine(_dir, "a.json") ? ("an ok answer", "an error") : ("an error", "an ok answer");
        Assert.Equal(
            $"{later}:6:5: error PE4040: Cannot merge: the evidence record guardduty:ListDetectors @ 222222222222/eu-west-1 differs ({laterIs.Item1} against {laterIs.Item2}) from {earlier}:6:5. " +
            "Fix: merge parts that collected different accounts or regions (collect --shard, --account); to replace old evidence, collect that part again instead of merging.",
            Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public void A_record_one_part_did_not_collect_is_taken_from_the_part_that_did_in_either_order()
    {
        var a = Write("a.json", Snapshot(DetectorNotCollected));
        var b = Write("b.json", Snapshot(DetectorDenied));
        foreach (var inputs in new[] { new[] { a, b }, [b, a] })
        {
            var (result, diagnostics, output) = Merge(inputs);
            Assert.Empty(diagnostics);
            Assert.Equal(1, result!.DuplicatesDropped);
            using var merged = ReadSnapshot(output);
            var record = Assert.Single(merged.RootElement.GetProperty("evidence").EnumerateArray());
            Assert.Equal(("error", "AccessDeniedException"), (record.GetProperty("status").GetString(), record.GetProperty("error").GetProperty("code").GetString()));
        }
    }

    [Fact]
    public void The_same_record_in_two_parts_is_written_once_and_a_part_merged_with_itself_changes_nothing()
    {
        var a = Write("a.json", Snapshot(DetectorOk));
        var b = Write("b.json", Snapshot(DetectorOk, source: "import"));
        var (result, diagnostics, output) = Merge(a, b);
        Assert.Empty(diagnostics);
        Assert.Equal((2, 1, 1), (result!.Inputs, result.EvidenceRecords, result.DuplicatesDropped));

        var (self, selfDiagnostics, selfOutput) = Merge(a, a);
        Assert.Empty(selfDiagnostics);
        Assert.Equal((1, 1, 0), (self!.Inputs, self.EvidenceRecords, self.DuplicatesDropped));
        using var merged = ReadSnapshot(output);
        Assert.True(JsonElement.DeepEquals(
            merged.RootElement.GetProperty("evidence"), JsonDocument.Parse(File.ReadAllBytes(selfOutput)).RootElement.GetProperty("evidence")));
    }

    [Fact]
    public void Different_partitions_are_PE4042()
    {
        var (earlier, later) = ByDigest(Write("a.json", Snapshot(DetectorOk)), Write("b.json", Snapshot(DetectorOk, partition: "aws-us-gov")));
        var (result, diagnostics, _) = Merge(earlier, later);
        Assert.Null(result);
        var (laterPartition, earlierPartition) = later.EndsWith("a.json", StringComparison.Ordinal) ? ("aws", "aws-us-gov") : ("aws-us-gov", "aws");
        Assert.Equal(
            $"{later}:3:69: error PE4042: Cannot merge: the partition '{laterPartition}' differs from '{earlierPartition}' from {earlier}:3:69. Fix: merge snapshots of one partition only.",
            Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public void Organizations_that_differ_are_PE4042_at_the_section()
    {
        static string WithOrganization(string state) => Snapshot(DetectorOk).Replace(
            "  \"regions\"", "  \"organization\": { \"accounts\": [{ \"Id\": \"222222222222\", \"State\": \"" + state + "\" }] },\n  \"regions\"", StringComparison.Ordinal);
        var (earlier, later) = ByDigest(Write("a.json", WithOrganization("ACTIVE")), Write("b.json", WithOrganization("SUSPENDED")));
        var (result, diagnostics, _) = Merge(earlier, later);
        Assert.Null(result);
        Assert.Equal(
            $"{later}:4:19: error PE4042: Cannot merge: the organization section differs (accounts, OUs, policies or delegated administrators changed between the collections) from {earlier}:4:19. " +
            "Fix: collect the parts again close together, or merge only parts collected from the same state of the organization.",
            Assert.Single(diagnostics).ToString());
    }

    private const string Bucket = """    { "resourceType": "AWS::S3::Bucket", "resourceId": "logs", "awsAccountId": "333333333333", "awsRegion": "us-east-1", "configurationItemCaptureTime": "2026-11-30T11:52:03.121Z", "configuration": { "versioning": "VERSIONING" } }""";

    [Fact]
    public void A_configuration_item_two_imports_hold_differently_is_PE4041_and_resources_of_an_import_join_a_live_snapshot()
    {
        var live = Write("live.json", Snapshot(DetectorOk));
        var import = Write("import.json", Snapshot(string.Empty, source: "import", resources: Bucket));
        var (result, diagnostics, output) = Merge(live, import);
        Assert.Empty(diagnostics);
        Assert.Equal((1, 1), (result!.EvidenceRecords, result.Resources));
        using (var merged = ReadSnapshot(output))
        {
            Assert.Equal("collected", merged.RootElement.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
            Assert.Equal("logs", Assert.Single(merged.RootElement.GetProperty("resources").EnumerateArray()).GetProperty("resourceId").GetString());
        }

        var other = Write("import2.json", Snapshot(string.Empty, source: "import", resources: Bucket.Replace("\"VERSIONING\"", "\"OFF\"", StringComparison.Ordinal)));
        var (earlier, later) = ByDigest(import, other);
        var (conflict, conflictDiagnostics, _) = Merge(earlier, later);
        Assert.Null(conflict);
        Assert.Equal(
            $"{later}:9:5: error PE4041: Cannot merge: the configuration item AWS::S3::Bucket logs of account 333333333333 in us-east-1, captured at the same time, differs from {earlier}:9:5. " +
            "Fix: import each Config export once; items of one resource captured at different times are kept side by side.",
            Assert.Single(conflictDiagnostics).ToString());
    }

    [Fact]
    public void An_input_that_is_not_a_snapshot_stops_the_merge_with_its_load_diagnostic()
    {
        var broken = Write("broken.json", "{ \"formatVersion\": \"2.0\" }\n");
        var (result, diagnostics, output) = Merge(Write("a.json", Snapshot(DetectorOk)), broken);
        Assert.Null(result);
        Assert.False(File.Exists(output));
        Assert.Equal("PE4002", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Snapshot_text_is_utf8_without_a_byte_order_mark()
    {
        var (_, _, output) = Merge(Write("a.json", Snapshot(DetectorOk)));
        Assert.NotEqual(0xEF, File.ReadAllBytes(output)[0]);
        Assert.StartsWith("{\n  \"formatVersion\": \"1.0\",", Encoding.UTF8.GetString(File.ReadAllBytes(output)).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
