using System.Text;
using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>Collects a simulated 200-account, 3-region organization from the loopback fake with injected faults.</summary>
public sealed class CollectionTests : IClassFixture<CollectionTests.LargeRun>
{
    private const string DeniedAccount = "100000000007";
    private const string GuardDutyDenied = "100000000010";
    private const string ShieldOptedOut = "100000000011";
    private const string ConfigBroken = "100000000012";
    private const string RegionDisabled = "100000000013";
    private static readonly string[] Regions = ["ap-southeast-2", "eu-west-1", "us-east-1"];

    private readonly LargeRun _run;

    public CollectionTests(LargeRun run) => _run = run;

    /// <summary>Runs the collection once for all tests of this class.</summary>
    public sealed class LargeRun : IDisposable
    {
        public LargeRun()
        {
            Org = FakeOrganization.Create(200, Regions, faultRate: 0.15);
            Org.DenyAssumeRole.Add(DeniedAccount);
            Org.DenyService.Add((GuardDutyDenied, "guardduty"));
            Org.OptedOut.Add((ShieldOptedOut, "shield"));
            Org.AlwaysFail.Add((ConfigBroken, "eu-west-1", "config", "DescribeConfigurationRecorders"));
            Org.Find(RegionDisabled)!.EnabledRegions.Remove("ap-southeast-2");
            Server = new FakeAwsServer(Org, LoadPlan());
            Dir = TempDir();
            Output = Path.Combine(Dir, "snapshot.json.gz");
            Result = new OrganizationCollector().CollectAsync(Options(Server, Output, Regions), Progress, Log, CancellationToken.None).GetAwaiter().GetResult();
            Bytes = SnapshotFile.ReadAll(Output);
            Doc = JsonDocument.Parse(Bytes);
            Records = CollectionTestSupport.Records(Doc);
        }

        public FakeOrganization Org { get; }
        public FakeAwsServer Server { get; }
        public string Dir { get; }
        public string Output { get; }
        public CollectionResult Result { get; }
        public byte[] Bytes { get; }
        public JsonDocument Doc { get; }
        public List<Rec> Records { get; }
        public ListLog Log { get; } = new();
        public ListProgress Progress { get; } = new();

        public void Dispose()
        {
            Doc.Dispose();
            Server.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    [Fact]
    public void Every_collected_record_is_in_the_normal_form_of_its_model()
    {
        // The fake answers in each protocol's wire form; what the collector writes is the one documented normal form.
        var problems = new List<string>();
        var ok = _run.Records.Count(r => EvidenceNormalFormTests.Check(System.Text.Json.Nodes.JsonNode.Parse(r.Element.GetRawText()), "collected", problems));
        Assert.True(ok > 1_000, $"only {ok} records checked");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Distinct().Take(60)));
    }

    [Fact]
    public void EverySignatureVerifiedAndFaultsWereInjected()
    {
        Assert.Equal(0, _run.Server.SignatureFailures);
        Assert.True(_run.Server.InjectedFaults > 100, $"only {_run.Server.InjectedFaults} faults injected");
        Assert.True(_run.Result.Throttles > 0);
    }

    [Fact]
    public void NoRecordIsDuplicated()
    {
        var dupes = _run.Records.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dupes);
    }

    [Fact]
    public void OkRecordsAreExactlyTheCallsTheServerAnswered()
    {
        var ok = _run.Records.Where(r => r.Status == "ok").Select(r => r.ServerKey).ToHashSet();
        var answered = _run.Server.Succeeded.Keys.ToHashSet();
        Assert.Empty(answered.Except(ok));
        Assert.Empty(ok.Except(answered));
    }

    [Fact]
    public void PermanentFailuresAreErrorOrNotCollectedRecords()
    {
        var failed = _run.Server.Failed;
        var errors = _run.Records.Where(r => r.Status == "error" && r.Account != DeniedAccount).ToDictionary(r => r.ServerKey, r => r.ErrorCode);
        var optedOut = _run.Records.Where(r => r.Status == "notCollected" && r.Element.GetProperty("reason").GetString()!.StartsWith("SubscriptionRequiredException", StringComparison.Ordinal))
            .Select(r => r.ServerKey).ToHashSet();
        Assert.Equal(failed.Where(kv => kv.Value != "SubscriptionRequiredException").Select(kv => kv.Key).Order(), errors.Keys.Order());
        Assert.All(errors, kv => Assert.Equal(failed[kv.Key], kv.Value));
        Assert.Equal(failed.Where(kv => kv.Value == "SubscriptionRequiredException").Select(kv => kv.Key).Order(), optedOut.Order());
        Assert.Equal(4, optedOut.Count); // shield: four account-scope operations
    }

    [Fact]
    public void EveryActiveAccountIsCoveredAndSuspendedOnesAreNot()
    {
        var active = _run.Org.Accounts.Where(a => a.State == "ACTIVE").Select(a => a.Id).ToHashSet();
        Assert.Equal(196, active.Count);
        Assert.Equal(active.Order(), _run.Records.Where(r => r.Account != FakeOrganization.ManagementAccount || true).Select(r => r.Account).Distinct().Order());
        var coverage = _run.Doc.RootElement.GetProperty("coverage");
        Assert.Equal(196, coverage.GetProperty("accounts").GetProperty("active").GetInt32());
        Assert.Equal(DeniedAccount, Assert.Single(coverage.GetProperty("accounts").GetProperty("roleNotAssumed").EnumerateArray()).GetString());
    }

    [Fact]
    public void UnassumableAccountBecomesErrorRecordsForEveryPlannedCall()
    {
        var plan = LoadPlan();
        var expected = plan.Entries.Where(e => e.Scope == PlanScopes.Account).Sum(StaticCount)
            + (Regions.Length * plan.Entries.Where(e => e.Scope == PlanScopes.AccountRegion).Sum(StaticCount));
        var recs = _run.Records.Where(r => r.Account == DeniedAccount).ToList();
        Assert.Equal(expected, recs.Count);
        Assert.All(recs, r => Assert.Equal("error", r.Status));
        Assert.All(recs, r => Assert.Equal("AccessDenied", r.ErrorCode));
    }

    [Fact]
    public void DisabledRegionIsNotCollectedForEveryRegionalCall()
    {
        var expected = LoadPlan().Entries.Where(e => e.Scope == PlanScopes.AccountRegion).Sum(StaticCount);
        var recs = _run.Records.Where(r => r.Account == RegionDisabled && r.Region == "ap-southeast-2").ToList();
        Assert.Equal(expected, recs.Count);
        Assert.All(recs, r => Assert.Equal("notCollected", r.Status));
        Assert.All(recs, r => Assert.Contains("not enabled", r.Element.GetProperty("reason").GetString(), StringComparison.Ordinal));
        var enabled = _run.Doc.RootElement.GetProperty("regions").GetProperty("enabledByAccount").GetProperty(RegionDisabled);
        Assert.Equal(["eu-west-1", "us-east-1"], enabled.EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void AccessDeniedServiceMarksItsDependentsNotCollected()
    {
        foreach (var region in Regions)
        {
            var gd = _run.Records.Where(r => r.Account == GuardDutyDenied && r.Region == region && r.Service == "guardduty").ToList();
            Assert.Equal("error", Assert.Single(gd, r => r.Operation == "ListDetectors").Status);
            Assert.Equal(
                ["DescribePublishingDestination", "GetDetector", "ListPublishingDestinations"],
                gd.Where(r => r.Status == "notCollected").Select(r => r.Operation).Order());
        }
    }

    [Fact]
    public void HealthyAccountRegionHasEveryPlannedCall()
    {
        var account = "100000000020";
        foreach (var region in Regions)
        {
            var recs = _run.Records.Where(r => r.Account == account && r.Region == region).ToList();
            Assert.All(recs, r => Assert.True(r.Status == "ok", _run.Doc.RootElement.GetProperty("regions").GetRawText()[..300] + _run.Records.First(x => x.Account == account && x.Operation == "ListRegions").Element.GetRawText()));
            var fanOut = 3 + 2; // GetDetector, ListPublishingDestinations, DescribePublishingDestination; GetLoggingConfiguration, ListResourcesForWebACL
            Assert.Equal(LoadPlan().Entries.Where(e => e.Scope == PlanScopes.AccountRegion && e.ForEach.All(f => f.From is null)).Sum(StaticCount) + fanOut, recs.Count);
        }
    }

    [Fact]
    public void CoverageCountsMatchTheEvidence()
    {
        var byStatus = _run.Doc.RootElement.GetProperty("coverage").GetProperty("byStatus");
        Assert.Equal(_run.Records.Count(r => r.Status == "ok"), byStatus.GetProperty("ok").GetInt32());
        Assert.Equal(_run.Records.Count(r => r.Status == "error"), byStatus.GetProperty("error").GetInt32());
        Assert.Equal(_run.Records.Count(r => r.Status == "notCollected"), byStatus.GetProperty("notCollected").GetInt32());
        Assert.Equal(_run.Records.Count, byStatus.GetProperty("total").GetInt32());
        var byService = _run.Doc.RootElement.GetProperty("coverage").GetProperty("byService");
        Assert.Equal(_run.Records.Count, byService.EnumerateObject().Sum(p => p.Value.GetProperty("total").GetInt32()));
        Assert.Equal(_run.Result.Coverage.ByStatus.Total, _run.Records.Count);
    }

    [Fact]
    public void EvidenceIsSorted()
    {
        var keys = _run.Records.Select(r => (r.Service, r.Operation, r.Account, r.Region, r.Parameters)).ToList();
        var sorted = keys.OrderBy(k => k.Service, StringComparer.Ordinal).ThenBy(k => k.Operation, StringComparer.Ordinal).ThenBy(k => k.Account, StringComparer.Ordinal)
            .ThenBy(k => k.Region, StringComparer.Ordinal).ThenBy(k => k.Parameters, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted, keys);
    }

    [Fact]
    public void OrganizationSectionIsNormalised()
    {
        var org = _run.Doc.RootElement.GetProperty("organization");
        Assert.Equal("o-fake000001", org.GetProperty("organization").GetProperty("Id").GetString());
        var accounts = org.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(200, accounts.Count);
        var prod = accounts.Single(a => a.GetProperty("Id").GetString() == "100000000020");
        Assert.Equal("ou-fak1-prod0001", prod.GetProperty("ParentId").GetString());
        Assert.Equal("Root/Workloads/Prod", prod.GetProperty("OuPath").GetString());
        Assert.Equal("Root/Security", accounts.Single(a => a.GetProperty("Id").GetString() == FakeOrganization.AuditAccount).GetProperty("OuPath").GetString());
        // Account tags from ListTagsForResource, every page merged, sorted by key, as AWS shapes them ([{Key, Value}]).
        Assert.Equal(
            "[{\"Key\":\"backup\",\"Value\":\"\"},{\"Key\":\"cost-center\",\"Value\":\"cc-0020\"},{\"Key\":\"data-classification\",\"Value\":\"internal\"},{\"Key\":\"environment\",\"Value\":\"production\"},{\"Key\":\"owner\",\"Value\":\"team-20\"}]",
            prod.GetProperty("Tags").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(string.Empty));
        Assert.Equal(0, accounts.Single(a => a.GetProperty("Id").GetString() == FakeOrganization.ManagementAccount).GetProperty("Tags").GetArrayLength());
        Assert.Equal(5, org.GetProperty("organizationalUnits").GetArrayLength());
        var policies = org.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(3, policies.Count);
        Assert.All(policies, p => Assert.StartsWith("{\"Version\"", p.GetProperty("Content").GetString(), StringComparison.Ordinal));
        Assert.Equal("ROOT", policies[0].GetProperty("Targets")[0].GetProperty("Type").GetString());
        Assert.Equal(FakeOrganization.AuditAccount, org.GetProperty("delegatedAdministrators").GetProperty("guardduty.amazonaws.com")[0].GetProperty("Id").GetString());

        // ListAccounts pages (one of them empty but with a NextToken) are merged into one response.
        var list = _run.Records.Single(r => r.Service == "organizations" && r.Operation == "ListAccounts");
        Assert.Equal(200, list.Element.GetProperty("response").GetProperty("Accounts").GetArrayLength());
        Assert.False(list.Element.GetProperty("response").TryGetProperty("NextToken", out _));
    }

    [Fact]
    public void RolesAreInferredWithReasons()
    {
        var roles = _run.Doc.RootElement.GetProperty("roles");
        var mgmt = Assert.Single(roles.GetProperty("management").EnumerateArray());
        Assert.Equal(FakeOrganization.ManagementAccount, mgmt.GetProperty("accountId").GetString());
        Assert.Equal("inferred", mgmt.GetProperty("source").GetString());
        var tooling = Assert.Single(roles.GetProperty("securityTooling").EnumerateArray());
        Assert.Equal(FakeOrganization.AuditAccount, tooling.GetProperty("accountId").GetString());
        Assert.Equal(FakeOrganization.LogArchiveAccount, Assert.Single(roles.GetProperty("logArchive").EnumerateArray()).GetProperty("accountId").GetString());
        Assert.Equal(0, roles.GetProperty("network").GetArrayLength());

        // Role-scoped operations ran only in their accounts.
        Assert.Equal([FakeOrganization.AuditAccount], _run.Records.Where(r => r.Service == "config" && r.Operation == "DescribeConfigurationAggregators").Select(r => r.Account).Distinct());
        Assert.Equal([FakeOrganization.LogArchiveAccount], _run.Records.Where(r => r.Service == "securitylake").Select(r => r.Account).Distinct());
        Assert.Equal([FakeOrganization.ManagementAccount], _run.Records.Where(r => r.Service == "cloudtrail").Select(r => r.Account).Distinct());
    }

    [Fact]
    public void ResponsesKeepAwsShapesAcrossProtocols()
    {
        JsonElement Response(string service, string op, string account = "100000000020", string region = "eu-west-1") =>
            _run.Records.First(r => r.Service == service && r.Operation == op && r.Account == account && (r.Region == region || r.Region == "global")).Element.GetProperty("response");

        var detector = Response("guardduty", "GetDetector");
        Assert.Equal("ENABLED", detector.GetProperty("Status").GetString());
        Assert.Equal("S3_DATA_EVENTS", detector.GetProperty("Features")[0].GetProperty("Name").GetString());
        Assert.True(detector.GetProperty("Tags").TryGetProperty("cost-center", out _));
        // SDK member names from the service model, not a case rule: dnsLogs is DNSLogs.
        Assert.Equal(["CloudTrail", "DNSLogs", "S3Logs"], detector.GetProperty("DataSources").EnumerateObject().Select(p => p.Name));
        Assert.True(Response("ec2", "GetEbsEncryptionByDefault").GetProperty("EbsEncryptionByDefault").GetBoolean());
        Assert.Equal(2, Response("ec2", "GetInstanceMetadataDefaults").GetProperty("AccountLevel").GetProperty("HttpPutResponseHopLimit").GetInt32());
        Assert.False(Response("s3control", "GetPublicAccessBlock").GetProperty("PublicAccessBlockConfiguration").GetProperty("RestrictPublicBuckets").GetBoolean());
        Assert.Equal("100000000020", Response("sts", "GetCallerIdentity").GetProperty("Account").GetString());
        Assert.Equal(2, Response("account", "ListRegions").GetProperty("Regions").GetArrayLength() - 1); // three regions over two pages
        // The trail's key is described once, in the trail's home region, by its ARN. Other DescribeKey records (a plan
        // that also describes the keys kms:ListKeys returns) are not this test's business, so it looks the record up by
        // its key rather than expecting the only one.
        var trailKeyArn = Response("cloudtrail", "DescribeTrails", FakeOrganization.ManagementAccount, "us-east-1").GetProperty("trailList")[0].GetProperty("KmsKeyId").GetString()!;
        var trailKey = OnlyRecord(r => r.Service == "kms" && r.Operation == "DescribeKey" && r.Parameters.Contains($"\"KeyId\":\"{trailKeyArn}\"", StringComparison.Ordinal),
            $"kms:DescribeKey with KeyId {trailKeyArn}");
        Assert.Equal("us-east-1", trailKey.Region);
        Assert.Equal(trailKeyArn, trailKey.Element.GetProperty("response").GetProperty("KeyMetadata").GetProperty("Arn").GetString());
        var dest = _run.Records.First(r => r.Operation == "DescribePublishingDestination" && r.Status == "ok");
        Assert.Contains("\"DetectorId\"", dest.Parameters, StringComparison.Ordinal);
        Assert.Contains("\"DestinationId\":\"dest1\"", dest.Parameters, StringComparison.Ordinal);
    }

    /// <summary>
    /// The one record a test is about, chosen by its key (operation, account, region, parameters). The plan grows as
    /// contributors add operations and fan-outs, so a test never assumes an operation has a single record; when the
    /// choice is ambiguous the message says which records matched and how to narrow it.
    /// </summary>
    private Rec OnlyRecord(Func<Rec, bool> match, string what)
    {
        var matches = _run.Records.Where(match).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new Xunit.Sdk.XunitException(
                $"expected exactly one evidence record of {what}, found {matches.Count}" +
                (matches.Count == 0 ? string.Empty : ": " + string.Join(", ", matches.Take(5).Select(r => r.Key))) +
                ". If you changed collectors/*.yaml, this test still looks for the record it checks; narrow its selection by account, region or parameters (tests/PolicyEngine.Aws.Tests/CollectionTests.cs), do not remove your plan entry.");
    }

    [Fact]
    public void NoCredentialAppearsInSnapshotOrLogs()
    {
        var text = Encoding.UTF8.GetString(_run.Bytes);
        var log = string.Join('\n', _run.Log.Lines);
        Assert.NotEmpty(_run.Log.Lines);
        var secrets = _run.Server.IssuedSecrets.Append(FakeOrganization.BaseSecretKey).ToList();
        Assert.True(secrets.Count > 100);
        foreach (var s in secrets)
        {
            Assert.DoesNotContain(s, text, StringComparison.Ordinal);
            Assert.DoesNotContain(s, log, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("leakcheck", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKEbaseSECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressReportsAccountsRegionsAndCalls()
    {
        var last = _run.Progress.Events.Last();
        Assert.Equal("writing", last.Phase);
        Assert.Equal(196, last.AccountsTotal);
        Assert.Equal(196, last.AccountsDone);
        Assert.Equal((195 * 3) - 1, last.RegionsDone);
        Assert.True(last.Calls >= _run.Server.Succeeded.Count);
        Assert.True(last.Errors > 0);
        Assert.Empty(Directory.GetFiles(_run.Dir, "*.tmp"));
    }
}
