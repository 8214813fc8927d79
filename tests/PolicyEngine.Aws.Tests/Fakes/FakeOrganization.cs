using System.Globalization;

namespace PolicyEngine.Aws.Tests.Fakes;

/// <summary>A simulated organization: accounts, OUs, regions and the faults to inject.</summary>
public sealed class FakeOrganization
{
    public const string ManagementAccount = "100000000000";
    public const string AuditAccount = "100000000001";
    public const string LogArchiveAccount = "100000000002";
    public const string BaseAccessKey = "AKIDFAKEBASE00000001";
    public const string BaseSecretKey = "FAKEbaseSECRETvalue/never-leak+0001";

    public string[] Regions { get; init; } = ["us-east-1", "eu-west-1", "ap-southeast-2"];
    public List<FakeAccount> Accounts { get; } = [];
    public List<(string Id, string Name, string Parent)> OrganizationalUnits { get; } = [];
    public string RootId { get; init; } = "r-fak1";

    /// <summary>Accounts whose role cannot be assumed (AccessDenied).</summary>
    public HashSet<string> DenyAssumeRole { get; } = [];
    /// <summary>(account, service) pairs answering AccessDeniedException.</summary>
    public HashSet<(string Account, string Service)> DenyService { get; } = [];
    /// <summary>(account, service) pairs answering SubscriptionRequiredException (opted out).</summary>
    public HashSet<(string Account, string Service)> OptedOut { get; } = [];
    /// <summary>(account, region, service, operation) always answering HTTP 500.</summary>
    public HashSet<(string Account, string Region, string Service, string Operation)> AlwaysFail { get; } = [];
    /// <summary>
    /// The endpoint dies after the organization phase: every call to a service other than STS and Organizations has its
    /// connection cut, on every attempt. Deterministic: which calls fail does not depend on timing.
    /// </summary>
    public bool DiesAfterOrganization { get; init; }
    /// <summary>Fraction of request keys that get transient faults (throttle, 5xx, dropped connection, slow).</summary>
    public double TransientFaultRate { get; init; }
    /// <summary>Seed of the deterministic fault choice.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Latency added to every response.</summary>
    public TimeSpan Latency { get; init; }
    /// <summary>Expected external id, when set.</summary>
    public string? ExternalId { get; init; }
    public string RoleName { get; init; } = "PolicyEngineReadOnly";
    /// <summary>The caller's account belongs to no organization: every Organizations call answers AWSOrganizationsNotInUseException.</summary>
    public bool Standalone { get; init; }
    /// <summary>Home region of the multi-Region organization trail (listed as a shadow trail in every other region).</summary>
    public string TrailHomeRegion { get; init; } = "us-east-1";
    /// <summary>The one region where the Security Incident Response membership lives (ListMemberships lists it everywhere).</summary>
    public string MembershipRegion { get; init; } = "eu-west-1";
    /// <summary>
    /// The organization's AWS Config aggregator (an organization aggregator of every region), or null for none: only its
    /// account and region answer it in DescribeConfigurationAggregators, and SelectAggregateResourceConfig needs it.
    /// </summary>
    public FakeAggregator? Aggregator { get; set; } = new(AuditAccount, "us-east-1", "org-agg");
    /// <summary>Accounts whose aggregator source status is FAILED: the aggregator holds none of their items.</summary>
    public HashSet<string> AggregatorSourceFailed { get; } = [];
    /// <summary>(account, region, service, operation) always answering ThrottlingException.</summary>
    public HashSet<(string Account, string Region, string Service, string Operation)> AlwaysThrottle { get; } = [];
    /// <summary>Encrypted S3 buckets added to every account's first region, to make the inventory page.</summary>
    public int ExtraBucketsPerAccount { get; set; }
    /// <summary>The account with API Gateway REST APIs, load balancers of every type and a subscriber queue given by URL.</summary>
    public const string NetworkAccount = "100000000003";

    public static FakeOrganization Create(int accounts, string[]? regions = null, double faultRate = 0, TimeSpan latency = default)
    {
        var org = new FakeOrganization { Regions = regions ?? ["us-east-1", "eu-west-1", "ap-southeast-2"], TransientFaultRate = faultRate, Latency = latency };
        org.OrganizationalUnits.Add(("ou-fak1-security1", "Security", org.RootId));
        org.OrganizationalUnits.Add(("ou-fak1-infra001", "Infrastructure", org.RootId));
        org.OrganizationalUnits.Add(("ou-fak1-workload", "Workloads", org.RootId));
        org.OrganizationalUnits.Add(("ou-fak1-prod0001", "Prod", "ou-fak1-workload"));
        org.OrganizationalUnits.Add(("ou-fak1-dev00001", "Dev", "ou-fak1-workload"));
        for (var i = 0; i < accounts; i++)
        {
            var id = (100000000000L + i).ToString(CultureInfo.InvariantCulture);
            var (name, parent) = i switch
            {
                0 => ("Management", org.RootId),
                1 => ("Audit", "ou-fak1-security1"),
                2 => ("Log Archive", "ou-fak1-security1"),
                3 => ("Network", "ou-fak1-infra001"),
                _ => ($"Workload {i}", i % 2 == 0 ? "ou-fak1-prod0001" : "ou-fak1-dev00001"),
            };
            var state = i % 50 == 49 ? "SUSPENDED" : "ACTIVE";
            org.Accounts.Add(new FakeAccount(id, name, parent, state, [.. org.Regions]));
        }

        return org;
    }

    public FakeAccount? Find(string id) => Accounts.FirstOrDefault(a => a.Id == id);

    /// <summary>
    /// An account's tags: none for the management account (an empty list), an environment (production, development or
    /// security) for the others, and for workloads a cost centre, an owner, a classification and a tag whose value is
    /// empty (AWS allows it).
    /// </summary>
    public IReadOnlyList<(string Key, string Value)> TagsOf(FakeAccount account)
    {
        var path = PathOf(account.ParentId);
        if (account.Id == ManagementAccount)
        {
            return [];
        }

        var environment = path.EndsWith("/Prod", StringComparison.Ordinal) ? "production" : path.EndsWith("/Dev", StringComparison.Ordinal) ? "development" : "security";
        return path.StartsWith("Root/Workloads", StringComparison.Ordinal)
            ? [("environment", environment), ("cost-center", "cc-" + account.Id[^4..]), ("owner", "team-" + account.Id[^2..]), ("data-classification", "internal"), ("backup", "")]
            : [("environment", environment)];
    }

    public string PathOf(string parent)
    {
        var parts = new List<string>();
        for (var cur = parent; cur is not null;)
        {
            if (cur == RootId)
            {
                parts.Add("Root");
                break;
            }

            var ou = OrganizationalUnits.First(o => o.Id == cur);
            parts.Add(ou.Name);
            cur = ou.Parent;
        }

        parts.Reverse();
        return string.Join('/', parts);
    }
}

public sealed record FakeAggregator(string Account, string Region, string Name);

public sealed record FakeAccount(string Id, string Name, string ParentId, string State, List<string> EnabledRegions);
