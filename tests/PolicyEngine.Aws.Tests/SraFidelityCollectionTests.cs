using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// Regression tests of issue 11's collector defects, against the loopback fake answering as AWS does: API Gateway's
/// wire name <c>item</c>, shadow trails, a Security Incident Response membership that lives in one region, Security Lake
/// subscriber queues given by URL, and load balancers of every type.
/// </summary>
public sealed class SraFidelityCollectionTests : IClassFixture<SraFidelityCollectionTests.Run>
{
    private static readonly string[] Regions = ["ap-southeast-2", "eu-west-1", "us-east-1"];
    private readonly Run _run;

    public SraFidelityCollectionTests(Run run) => _run = run;

    /// <summary>A six-account organization, three regions, no injected faults.</summary>
    public sealed class Run : IDisposable
    {
        public Run()
        {
            Org = FakeOrganization.Create(6, Regions);
            Server = new FakeAwsServer(Org, LoadPlan());
            Dir = TempDir();
            var output = Path.Combine(Dir, "snapshot.json");
            new OrganizationCollector().CollectAsync(Options(Server, output, Regions), null, null, CancellationToken.None).GetAwaiter().GetResult();
            Doc = ReadSnapshot(output);
            Records = CollectionTestSupport.Records(Doc);
        }

        public FakeOrganization Org { get; }
        public FakeAwsServer Server { get; }
        public string Dir { get; }
        public JsonDocument Doc { get; }
        public List<Rec> Records { get; }

        public void Dispose()
        {
            Doc.Dispose();
            Server.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    private List<Rec> Of(string service, string operation, string? account = null) =>
        [.. _run.Records.Where(r => r.Service == service && r.Operation == operation && (account is null || r.Account == account))];

    private static string Param(Rec r, string name) => r.Element.GetProperty("parameters").GetProperty(name).GetString()!;

    [Fact]
    public void Rest_apis_are_recorded_under_the_sdk_name_items_with_every_page_and_each_api_gets_its_stages()
    {
        foreach (var region in Regions)
        {
            var apis = Assert.Single(Of("apigateway", "GetRestApis", FakeOrganization.NetworkAccount), r => r.Region == region);
            Assert.Equal("ok", apis.Status);
            var response = apis.Element.GetProperty("response");
            Assert.Equal(["items"], response.EnumerateObject().Select(p => p.Name));
            Assert.Equal(["a1api00001", "a2api00002", "a3api00003"], response.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));

            var stages = Of("apigateway", "GetStages", FakeOrganization.NetworkAccount).Where(r => r.Region == region).ToList();
            Assert.Equal(["a1api00001", "a2api00002", "a3api00003"], stages.Select(s => Param(s, "restApiId")).Order(StringComparer.Ordinal));
            Assert.All(stages, s => Assert.Equal("ok", s.Status));
            // Stages' list member is `item` in the SDKs too.
            var second = stages.Single(s => Param(s, "restApiId") == "a2api00002").Element.GetProperty("response").GetProperty("item");
            Assert.Equal(["prod", "test"], second.EnumerateArray().Select(s => s.GetProperty("stageName").GetString()));
        }
    }

    [Fact]
    public void The_organization_trail_is_listed_in_every_region_with_its_status_by_arn_and_its_selectors_from_its_home_region()
    {
        var arn = FakeAwsServer.OrgTrailArn(_run.Org.TrailHomeRegion, FakeOrganization.ManagementAccount);
        var trails = Of("cloudtrail", "DescribeTrails");
        Assert.Equal(Regions, trails.Select(r => r.Region).Order(StringComparer.Ordinal));
        foreach (var record in trails)
        {
            Assert.Equal(FakeOrganization.ManagementAccount, record.Account);
            Assert.Equal("{\"includeShadowTrails\":true}", record.Parameters);
            var trail = Assert.Single(record.Element.GetProperty("response").GetProperty("trailList").EnumerateArray());
            Assert.Equal(arn, trail.GetProperty("TrailARN").GetString());
            Assert.Equal("us-east-1", trail.GetProperty("HomeRegion").GetString());
            Assert.True(trail.GetProperty("IsOrganizationTrail").GetBoolean());
        }

        var status = Of("cloudtrail", "GetTrailStatus");
        Assert.Equal(Regions, status.Select(r => r.Region).Order(StringComparer.Ordinal));
        Assert.All(status, r => Assert.Equal(("ok", arn), (r.Status, Param(r, "Name"))));

        var selectors = Assert.Single(Of("cloudtrail", "GetEventSelectors"));
        Assert.Equal(("us-east-1", "ok", arn), (selectors.Region, selectors.Status, Param(selectors, "TrailName")));
    }

    [Fact]
    public void The_membership_is_read_only_in_its_own_region()
    {
        var lists = Of("security-ir", "ListMemberships");
        Assert.Equal(Regions, lists.Select(r => r.Region).Order(StringComparer.Ordinal));
        Assert.All(lists, r => Assert.Equal((FakeOrganization.AuditAccount, "ok"), (r.Account, r.Status)));

        var membership = Assert.Single(Of("security-ir", "GetMembership"));
        Assert.Equal((FakeOrganization.AuditAccount, "eu-west-1", "ok", "m-" + FakeOrganization.AuditAccount),
            (membership.Account, membership.Region, membership.Status, Param(membership, "membershipId")));
        Assert.Equal("eu-west-1", membership.Element.GetProperty("response").GetProperty("region").GetString());

        var details = Assert.Single(Of("security-ir", "BatchGetMemberAccountDetails"));
        Assert.Equal(("eu-west-1", "ok"), (details.Region, details.Status));
        Assert.Equal(6, details.Element.GetProperty("response").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void A_subscriber_queue_given_by_url_is_read_with_its_dead_letter_queue()
    {
        foreach (var region in Regions)
        {
            var prefix = $"https://sqs.{region}.amazonaws.com/{FakeOrganization.LogArchiveAccount}/AmazonSecurityLake-";
            var queues = Of("sqs", "GetQueueAttributes", FakeOrganization.LogArchiveAccount).Where(r => r.Region == region).ToList();
            Assert.Equal([prefix + "s1-DLQ", prefix + "s1-Main-Queue", prefix + "s3-DLQ", prefix + "s3-Main-Queue"],
                queues.Select(q => Param(q, "QueueUrl")).Order(StringComparer.Ordinal));
            Assert.All(queues, q => Assert.Equal("ok", q.Status));
        }
    }

    [Fact]
    public void Web_acls_are_asked_for_application_load_balancers_only()
    {
        var asked = Of("wafv2", "GetWebACLForResource", FakeOrganization.NetworkAccount).Select(r => (r.Region, Param(r, "ResourceArn"), r.Status)).Order().ToList();
        Assert.Equal([.. Regions.Select(region => (region, FakeAwsServer.LoadBalancerArn(region, FakeOrganization.NetworkAccount, "app", "web"), "ok"))], asked);
        Assert.DoesNotContain(_run.Records, r => r.Status == "error");
    }

    [Fact]
    public async Task A_membership_region_that_is_not_a_region_name_is_not_called()
    {
        // The region goes into the endpoint's host name: a response cannot steer signed requests elsewhere.
        var org = new FakeOrganization { Regions = ["us-east-1"], MembershipRegion = "evil.example/x" };
        foreach (var a in FakeOrganization.Create(3, ["us-east-1"]).Accounts)
        {
            org.Accounts.Add(a);
        }

        using var server = new FakeAwsServer(org, LoadPlan());
        var dir = TempDir();
        try
        {
            var output = Path.Combine(dir, "snapshot.json");
            var log = new ListLog();
            await new OrganizationCollector().CollectAsync(Options(server, output, ["us-east-1"]), null, log, CancellationToken.None);
            using var doc = ReadSnapshot(output);
            var records = CollectionTestSupport.Records(doc);
            Assert.Equal("ok", Assert.Single(records, r => r.Operation == "ListMemberships").Status);
            Assert.DoesNotContain(records, r => r.Operation is "GetMembership" or "BatchGetMemberAccountDetails");
            Assert.Contains(log.Lines, l => l.StartsWith("Warning: security-ir:GetMembership in 100000000001/us-east-1: skipped an item of security-ir:ListMemberships without a valid region", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
