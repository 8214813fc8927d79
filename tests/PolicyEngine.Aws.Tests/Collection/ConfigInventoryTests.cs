using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Import;
using PolicyEngine.Aws.Tests.Fakes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests.Collection;

/// <summary>
/// The live AWS Config inventory against the fake organization: six accounts in two regions; account 100000000004 has
/// an unencrypted bucket, the Network account's detector in eu-west-1 is disabled.
/// </summary>
public sealed class ConfigInventoryTests
{
    private const string Bucket = "AWS::S3::Bucket";
    private const string Detector = "AWS::GuardDuty::Detector";
    private const string Member = "100000000005";
    private static readonly string[] BothTypes = [Bucket, Detector];
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];

    /// <summary>The two anchor rules (bench/anchor/rules): the same checks a user writes against Config items.</summary>
    private static readonly RuleSource[] ResourceRules =
    [
        new("ANCHOR-S3-01.yaml", "ANCHOR-S3-01.yaml", """
            id: ANCHOR-S3-01
            title: "S3 buckets have default encryption"
            message: "Bucket {resource} in {account}/{region} has no default encryption."
            category: S3
            severity: high
            target: resource
            resourceType: AWS::S3::Bucket
            assert:
              - path: $.supplementaryConfiguration.ServerSideEncryptionConfiguration
                exists: true
            """),
        new("ANCHOR-GUARDDUTY-01.yaml", "ANCHOR-GUARDDUTY-01.yaml", """
            id: ANCHOR-GUARDDUTY-01
            title: "GuardDuty detectors are enabled"
            message: "GuardDuty detector {resource} in {account}/{region} is disabled."
            category: GuardDuty
            severity: high
            target: resource
            resourceType: AWS::GuardDuty::Detector
            assert:
              - path: $.configuration.Enable
                equals: true
            """),
    ];

    private static FakeOrganization Organization() => FakeOrganization.Create(6, Regions);

    private sealed record Run(string Json, FakeAwsServer Server, CollectionResult Result) : IDisposable
    {
        public JsonElement Root => JsonDocument.Parse(Json).RootElement;
        public JsonElement Coverage => Root.GetProperty("coverage").GetProperty("resources");
        public string Pair(string account, string region) => JsonNode.Parse(Coverage.GetProperty("byAccount").GetProperty(account).GetProperty(region).GetRawText())!.ToJsonString();
        public void Dispose() => Server.Dispose();
    }

    private static Run Collect(FakeOrganization org, IReadOnlyList<string> types, int maxPages = 10_000, (string, string)? aggregator = null)
    {
        var server = new FakeAwsServer(org, LoadPlan());
        var dir = TempDir();
        try
        {
            var output = Path.Combine(dir, "snapshot.json");
            var o = Options(server, output, Regions);
            var options = new CollectOptions
            {
                OutputPath = o.OutputPath, Regions = o.Regions, EndpointOverride = o.EndpointOverride, PlanDirectory = o.PlanDirectory, Credentials = o.Credentials,
                Retry = o.Retry, MaxConcurrency = o.MaxConcurrency, MaxConcurrencyPerService = o.MaxConcurrencyPerService,
                ResourceTypes = types, MaxInventoryPages = maxPages, ConfigAggregator = aggregator, AllowPartial = true,
            };
            var result = new OrganizationCollector().CollectAsync(options, null, null, CancellationToken.None).GetAwaiter().GetResult();
            return new Run(File.ReadAllText(output), server, result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string[] Evaluate(string snapshotJson)
    {
        var compilation = new RuleCompiler(LoadPlan().ToCatalog()).Compile(ResourceRules);
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(snapshotJson), "live.json", diagnostics);
        Assert.True(snapshot is not null, string.Join("\n", diagnostics));
        var result = Evaluator.Evaluate(compilation.RuleSet!, snapshot!, new EvaluationOptions { MaxParallelism = 1 });
        string[] r = [.. result.Findings.Where(f => f.Outcome != Outcome.Pass)
            .Select(f => $"{f.Rule.Id} {f.Outcome.ToName()} {f.Subject.Account}/{f.Subject.Region}/{f.Subject.Resource} | {f.Message}")];
        return r;
    }

    private static int Passes(string snapshotJson, string ruleId)
    {
        var compilation = new RuleCompiler(LoadPlan().ToCatalog()).Compile(ResourceRules);
        using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(snapshotJson), "live.json", new List<Diagnostic>());
        return Evaluator.Evaluate(compilation.RuleSet!, snapshot!, new EvaluationOptions { MaxParallelism = 1 }).Findings
            .Count(f => f.Rule.Id == ruleId && f.Outcome == Outcome.Pass);
    }

    private static string Resources(Run run) => run.Root.GetProperty("resources").GetRawText();

    [Fact]
    public void A_live_snapshot_of_the_organization_has_its_config_items_from_the_aggregator_and_resource_rules_evaluate_on_it()
    {
        using var run = Collect(Organization(), BothTypes);
        var resources = run.Root.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(7, resources.Count(r => r.GetProperty("resourceType").GetString() == Bucket));
        Assert.Equal(12, resources.Count(r => r.GetProperty("resourceType").GetString() == Detector));
        Assert.Equal(19, run.Result.Resources);
        Assert.Equal("aggregator", run.Coverage.GetProperty("source").GetString());
        Assert.Equal("100000000001/us-east-1/org-agg", run.Coverage.GetProperty("aggregator").GetString());
        Assert.Equal("collected", run.Root.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
        Assert.Equal("""{"items":3,"status":"collected","via":"aggregator"}""", run.Pair("100000000004", "us-east-1"));
        Assert.Equal(1, run.Server.SelectCalls.GetValueOrDefault("SelectAggregateResourceConfig"));
        Assert.Equal(0, run.Server.SelectCalls.GetValueOrDefault("SelectResourceConfig"));
        Assert.Equal(
            [
                "ANCHOR-GUARDDUTY-01 fail 100000000003/eu-west-1/arn:aws:guardduty:eu-west-1:100000000003:detector/det100000000003euwest1 | GuardDuty detector arn:aws:guardduty:eu-west-1:100000000003:detector/det100000000003euwest1 in 100000000003/eu-west-1 is disabled ($.configuration.Enable in subject is false, expected to equal true).",
                "ANCHOR-S3-01 fail 100000000004/us-east-1/arn:aws:s3:::data-100000000004 | Bucket arn:aws:s3:::data-100000000004 in 100000000004/us-east-1 has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).",
            ],
            Evaluate(run.Json));
        Assert.Equal(6, Passes(run.Json, "ANCHOR-S3-01"));
        Assert.Equal(11, Passes(run.Json, "ANCHOR-GUARDDUTY-01"));
    }

    [Fact]
    public void The_aggregator_query_pages_by_100_with_next_token_and_asks_for_the_fields_the_normaliser_maps()
    {
        var org = Organization();
        org.ExtraBucketsPerAccount = 40;
        using var run = Collect(org, BothTypes);
        Assert.Equal(259, run.Result.Resources);
        Assert.Equal(3, run.Server.SelectCalls.GetValueOrDefault("SelectAggregateResourceConfig"));
        Assert.Equal(
            "SELECT resourceId, resourceType, resourceName, arn, accountId, awsRegion, availabilityZone, version, configurationItemCaptureTime, configurationItemStatus, configurationStateId, resourceCreationTime, tags, configuration, supplementaryConfiguration WHERE resourceType IN ('AWS::GuardDuty::Detector', 'AWS::S3::Bucket')",
            Assert.Single(run.Server.SelectExpressions.Distinct()));
        Assert.Equal("collected", run.Root.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
    }

    [Fact]
    public void Paging_cut_short_makes_every_account_region_partial_and_resource_rules_insufficient_data_there()
    {
        var org = Organization();
        org.ExtraBucketsPerAccount = 40;
        using var run = Collect(org, BothTypes, maxPages: 2);
        Assert.Equal(200, run.Result.Resources);
        Assert.Equal("partial", run.Root.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
        Assert.Equal("""{"items":42,"reason":"the aggregator query stopped: config:SelectAggregateResourceConfig paging was cut after 2 pages (200 items)","status":"partial","via":"aggregator"}""",
            run.Pair("100000000001", "us-east-1"));
        var findings = Evaluate(run.Json);
        Assert.Equal(24, findings.Count(f => f.Contains(" insufficientData ", StringComparison.Ordinal))); // 2 rules x 6 accounts x 2 regions
    }

    [Fact]
    public void Without_an_aggregator_each_account_and_region_is_read_with_select_resource_config_and_gives_the_same_resources()
    {
        using var aggregated = Collect(Organization(), BothTypes);
        var org = Organization();
        org.Aggregator = null;
        using var run = Collect(org, BothTypes);
        Assert.Equal(0, run.Server.SelectCalls.GetValueOrDefault("SelectAggregateResourceConfig"));
        Assert.Equal(12, run.Server.SelectCalls.GetValueOrDefault("SelectResourceConfig"));
        Assert.Equal("perAccount", run.Coverage.GetProperty("source").GetString());
        Assert.False(run.Coverage.TryGetProperty("aggregator", out _));
        Assert.Equal("""{"items":3,"status":"collected","via":"perAccount"}""", run.Pair("100000000004", "us-east-1"));
        Assert.Equal(Resources(aggregated), Resources(run));
        Assert.Equal(Evaluate(aggregated.Json), Evaluate(run.Json));
    }

    [Fact]
    public void One_account_denied_gives_insufficient_data_for_its_resource_rules_and_a_throttled_region_is_named()
    {
        var org = Organization();
        org.Aggregator = null;
        org.DenyService.Add((Member, "config"));
        org.AlwaysThrottle.Add(("100000000004", "eu-west-1", "config", "SelectResourceConfig"));
        using var run = Collect(org, BothTypes);
        Assert.Equal("partial", run.Root.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
        Assert.Equal("""{"items":0,"reason":"config:SelectResourceConfig failed with AccessDeniedException: User: arn:aws:sts::100000000005:assumed-role/PolicyEngineReadOnly/s is not authorized to perform: config:SelectResourceConfig","status":"notCollected","via":"perAccount"}""",
            run.Pair(Member, "us-east-1"));
        Assert.Equal("""{"items":0,"reason":"config:SelectResourceConfig failed with ThrottlingException after 6 attempts: Rate exceeded","status":"notCollected","via":"perAccount"}""",
            run.Pair("100000000004", "eu-west-1"));
        Assert.Equal(
            [
                "ANCHOR-GUARDDUTY-01 fail 100000000003/eu-west-1/arn:aws:guardduty:eu-west-1:100000000003:detector/det100000000003euwest1 | GuardDuty detector arn:aws:guardduty:eu-west-1:100000000003:detector/det100000000003euwest1 in 100000000003/eu-west-1 is disabled ($.configuration.Enable in subject is false, expected to equal true).",
                "ANCHOR-GUARDDUTY-01 insufficientData 100000000004/eu-west-1/AWS::GuardDuty::Detector | Insufficient data: the AWS::GuardDuty::Detector resources of account 100000000004 in eu-west-1 were not collected (config:SelectResourceConfig failed with ThrottlingException after 6 attempts: Rate exceeded), so not all of them can be checked.",
                "ANCHOR-GUARDDUTY-01 insufficientData 100000000005/eu-west-1/AWS::GuardDuty::Detector | Insufficient data: the AWS::GuardDuty::Detector resources of account 100000000005 in eu-west-1 were not collected (config:SelectResourceConfig failed with AccessDeniedException: User: arn:aws:sts::100000000005:assumed-role/PolicyEngineReadOnly/s is not authorized to perform: config:SelectResourceConfig), so not all of them can be checked.",
                "ANCHOR-GUARDDUTY-01 insufficientData 100000000005/us-east-1/AWS::GuardDuty::Detector | Insufficient data: the AWS::GuardDuty::Detector resources of account 100000000005 in us-east-1 were not collected (config:SelectResourceConfig failed with AccessDeniedException: User: arn:aws:sts::100000000005:assumed-role/PolicyEngineReadOnly/s is not authorized to perform: config:SelectResourceConfig), so not all of them can be checked.",
                "ANCHOR-S3-01 insufficientData 100000000004/eu-west-1/AWS::S3::Bucket | Insufficient data: the AWS::S3::Bucket resources of account 100000000004 in eu-west-1 were not collected (config:SelectResourceConfig failed with ThrottlingException after 6 attempts: Rate exceeded), so not all of them can be checked.",
                "ANCHOR-S3-01 fail 100000000004/us-east-1/arn:aws:s3:::data-100000000004 | Bucket arn:aws:s3:::data-100000000004 in 100000000004/us-east-1 has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).",
                "ANCHOR-S3-01 insufficientData 100000000005/eu-west-1/AWS::S3::Bucket | Insufficient data: the AWS::S3::Bucket resources of account 100000000005 in eu-west-1 were not collected (config:SelectResourceConfig failed with AccessDeniedException: User: arn:aws:sts::100000000005:assumed-role/PolicyEngineReadOnly/s is not authorized to perform: config:SelectResourceConfig), so not all of them can be checked.",
                "ANCHOR-S3-01 insufficientData 100000000005/us-east-1/AWS::S3::Bucket | Insufficient data: the AWS::S3::Bucket resources of account 100000000005 in us-east-1 were not collected (config:SelectResourceConfig failed with AccessDeniedException: User: arn:aws:sts::100000000005:assumed-role/PolicyEngineReadOnly/s is not authorized to perform: config:SelectResourceConfig), so not all of them can be checked.",
            ],
            Evaluate(run.Json));
    }

    [Fact]
    public void An_aggregator_source_that_failed_leaves_its_account_not_collected()
    {
        var org = Organization();
        org.AggregatorSourceFailed.Add(Member);
        using var run = Collect(org, BothTypes);
        Assert.Equal("""{"items":0,"reason":"the aggregator\u0027s source status is FAILED (AccessDenied: Config is not authorized to read the source account.)","status":"notCollected","via":"aggregator"}""",
            run.Pair(Member, "eu-west-1"));
        Assert.Equal(4, Evaluate(run.Json).Count(f => f.Contains($" insufficientData {Member}/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Resource_types_limit_what_is_read_and_a_type_not_read_is_insufficient_data()
    {
        using var run = Collect(Organization(), [Bucket]);
        Assert.Equal(7, run.Result.Resources);
        Assert.Equal([Bucket], run.Coverage.GetProperty("resourceTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(
            [
                "ANCHOR-GUARDDUTY-01 insufficientData 100000000000/global/organization | Insufficient data: AWS::GuardDuty::Detector was not among the resource types collected, so its resources cannot be checked; collect with --resource-types AWS::GuardDuty::Detector (or a rule pack that reads it).",
                "ANCHOR-S3-01 fail 100000000004/us-east-1/arn:aws:s3:::data-100000000004 | Bucket arn:aws:s3:::data-100000000004 in 100000000004/us-east-1 has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).",
            ],
            Evaluate(run.Json));
    }

    [Fact]
    public void No_resource_type_asked_for_reads_nothing_and_coverage_says_why()
    {
        using var run = Collect(Organization(), []);
        Assert.Equal(0, run.Server.SelectCalls.Values.Sum());
        Assert.Equal("notCollected", run.Root.GetProperty("coverage").GetProperty("sections").GetProperty("resources").GetString());
        Assert.Equal("none", run.Coverage.GetProperty("source").GetString());
        Assert.StartsWith("no resource type was asked for", run.Coverage.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(Evaluate(run.Json), f => Assert.Contains(" insufficientData ", f, StringComparison.Ordinal));
    }

    [Fact]
    public void A_named_aggregator_is_read_and_an_unknown_one_falls_back_to_each_account()
    {
        using (var named = Collect(Organization(), BothTypes, aggregator: (FakeOrganization.AuditAccount, "org-agg")))
        {
            Assert.Equal("100000000001/us-east-1/org-agg", named.Coverage.GetProperty("aggregator").GetString());
        }

        using var unknown = Collect(Organization(), BothTypes, aggregator: (FakeOrganization.AuditAccount, "nope"));
        Assert.Equal("perAccount", unknown.Coverage.GetProperty("source").GetString());
        Assert.Equal(19, unknown.Result.Resources);
    }

    [Fact]
    public void The_importer_and_the_collector_write_the_same_resource_record_for_the_same_item()
    {
        using var run = Collect(Organization(), BothTypes);
        var item = run.Server.ConfigItems("100000000004", "us-east-1").First(i => i["resourceId"]!.GetValue<string>() == "data-100000000004");
        var projected = new JsonObject();
        foreach (var field in ConfigInventory.Fields)
        {
            projected[field] = item[field]?.DeepClone();
        }

        var dir = TempDir();
        try
        {
            var input = Path.Combine(dir, "query.json");
            File.WriteAllText(input, new JsonObject { ["Results"] = new JsonArray(projected.ToJsonString()) }.ToJsonString());
            var imported = Path.Combine(dir, "imported.json");
            SnapshotImporter.Import([input], imported);
            var importedRecord = JsonDocument.Parse(File.ReadAllText(imported)).RootElement.GetProperty("resources")[0].GetRawText();
            var collectedRecord = run.Root.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("resourceId").GetString() == "data-100000000004").GetRawText();
            Assert.Equal(importedRecord, collectedRecord);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Merging_a_live_inventory_with_imported_items_keeps_its_gaps()
    {
        var org = Organization();
        org.Aggregator = null;
        org.DenyService.Add((Member, "config"));
        using var run = Collect(org, BothTypes);
        var dir = TempDir();
        try
        {
            var live = Path.Combine(dir, "live.json");
            File.WriteAllText(live, run.Json);
            var query = Path.Combine(dir, "query.json");
            File.WriteAllText(query, """{"Results":["{\"resourceId\":\"extra\",\"resourceType\":\"AWS::S3::Bucket\",\"arn\":\"arn:aws:s3:::extra\",\"accountId\":\"100000000002\",\"awsRegion\":\"us-east-1\",\"configuration\":{\"name\":\"extra\"},\"supplementaryConfiguration\":{}}"]}""");
            var imported = Path.Combine(dir, "imported.json");
            SnapshotImporter.Import([query], imported);
            var merged = Path.Combine(dir, "merged.json");
            var diagnostics = new List<Diagnostic>();
            Assert.NotNull(Aws.Merge.SnapshotMerger.Merge([imported, live], merged, diagnostics));
            Assert.Empty(diagnostics);
            var json = File.ReadAllText(merged);
            var pair = JsonDocument.Parse(json).RootElement.GetProperty("coverage").GetProperty("resources").GetProperty("byAccount").GetProperty(Member).GetProperty("us-east-1");
            Assert.Equal("notCollected", pair.GetProperty("status").GetString());
            var findings = Evaluate(json);
            Assert.Contains("ANCHOR-S3-01 fail 100000000002/us-east-1/arn:aws:s3:::extra | Bucket arn:aws:s3:::extra in 100000000002/us-east-1 has no default encryption ($.supplementaryConfiguration.ServerSideEncryptionConfiguration in subject selects nothing).", findings);
            Assert.Equal(4, findings.Count(f => f.Contains($" insufficientData {Member}/", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
