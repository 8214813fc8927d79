using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// An account that belongs to no organization (DescribeOrganization answers AWSOrganizationsNotInUseException) is
/// collected as the one account and subject; <c>--management-account</c> names the management account when it
/// cannot be inferred.
/// </summary>
public sealed class StandaloneAccountTests
{
    private static (JsonDocument Doc, List<Rec> Records) Collect(FakeOrganization org, string? managementAccount = null)
    {
        using var server = new FakeAwsServer(org, LoadPlan());
        var dir = TempDir();
        try
        {
            var output = Path.Combine(dir, "snapshot.json");
            var options = Options(server, output, ["us-east-1"]);
            options = new CollectOptions
            {
                OutputPath = options.OutputPath, Regions = options.Regions, EndpointOverride = options.EndpointOverride, PlanDirectory = options.PlanDirectory,
                Credentials = options.Credentials, Retry = options.Retry, ManagementAccount = managementAccount,
            };
            new OrganizationCollector().CollectAsync(options, null, null, CancellationToken.None).GetAwaiter().GetResult();
            var doc = ReadSnapshot(output);
            return (doc, Records(doc));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Compact(JsonElement e) => System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText())!.ToJsonString();

    [Fact]
    public void A_standalone_account_is_the_one_account_and_the_management_role_says_why()
    {
        var org = new FakeOrganization { Regions = ["us-east-1"], Standalone = true };
        org.Accounts.Add(new FakeAccount(FakeOrganization.ManagementAccount, "Solo", "r-fak1", "ACTIVE", ["us-east-1"]));
        var (doc, records) = Collect(org);
        using (doc)
        {
            var root = doc.RootElement;
            var describe = Assert.Single(records, r => r.Operation == "DescribeOrganization");
            Assert.Equal(("error", "AWSOrganizationsNotInUseException"), (describe.Status, describe.ErrorCode));

            var organization = root.GetProperty("organization");
            Assert.False(organization.TryGetProperty("organization", out _));
            Assert.Equal("[{\"Id\":\"100000000000\",\"State\":\"ACTIVE\"}]", Compact(organization.GetProperty("accounts")));
            Assert.Equal("[{\"accountId\":\"100000000000\",\"reason\":\"DescribeOrganization answered AWSOrganizationsNotInUseException: the caller account (sts:GetCallerIdentity) belongs to no organization\",\"source\":\"standalone\"}]",
                Compact(root.GetProperty("roles").GetProperty("management")));
            Assert.Equal("standalone", root.GetProperty("coverage").GetProperty("sections").GetProperty("organization").GetString());

            // The account itself is collected, globally and per region.
            Assert.Contains(records, r => (r.Service, r.Operation, r.Account, r.Region, r.Status) == ("account", "ListRegions", "100000000000", "global", "ok"));
            Assert.Contains(records, r => (r.Service, r.Operation, r.Account, r.Region, r.Status) == ("guardduty", "ListDetectors", "100000000000", "us-east-1", "ok"));
        }
    }

    [Fact]
    public void Management_account_flag_names_the_management_account_when_describe_organization_is_denied()
    {
        var org = FakeOrganization.Create(4, ["us-east-1"]);
        org.DenyService.Add((FakeOrganization.ManagementAccount, "organizations"));
        var (doc, records) = Collect(org, managementAccount: FakeOrganization.ManagementAccount);
        using (doc)
        {
            var root = doc.RootElement;
            Assert.Equal("AccessDeniedException", Assert.Single(records, r => r.Operation == "DescribeOrganization").ErrorCode);
            Assert.False(root.TryGetProperty("organization", out _));
            Assert.Equal("[{\"accountId\":\"100000000000\",\"reason\":\"--management-account\",\"source\":\"configured\"}]",
                Compact(root.GetProperty("roles").GetProperty("management")));
            Assert.Equal("notCollected", root.GetProperty("coverage").GetProperty("sections").GetProperty("organization").GetString());
        }
    }
}
