using Amazon.Runtime;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Tests.Fakes;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// Failure is loud: a collection that cannot read the caller's identity or the organization stops before writing
/// anything, and a run with too many failed calls never replaces a good snapshot at the target.
/// </summary>
public sealed class CollectionFailureTests : IDisposable
{
    private readonly string _dir = TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output => Path.Combine(_dir, "snapshot.json");

    private static CollectOptions With(CollectOptions o, AWSCredentials? credentials = null, Uri? endpoint = null, double? maxErrorRate = null, bool allowPartial = false) => new()
    {
        OutputPath = o.OutputPath, Regions = o.Regions, EndpointOverride = endpoint ?? o.EndpointOverride, PlanDirectory = o.PlanDirectory,
        Credentials = credentials ?? o.Credentials, Retry = o.Retry, MaxConcurrency = o.MaxConcurrency, MaxConcurrencyPerService = o.MaxConcurrencyPerService,
        OrganizationsConcurrency = o.OrganizationsConcurrency, MaxErrorRate = maxErrorRate ?? o.MaxErrorRate, AllowPartial = allowPartial,
    };

    private static CollectionResult Run(CollectOptions options) =>
        new OrganizationCollector().CollectAsync(options, null, null, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Unrecognised_credentials_stop_before_anything_is_written()
    {
        using var server = new FakeAwsServer(FakeOrganization.Create(3, ["us-east-1"]), LoadPlan());
        var options = With(Options(server, Output, ["us-east-1"]), credentials: new BasicAWSCredentials("AKIDUNKNOWNKEY000001", "not-the-secret"));
        var ex = Assert.Throws<CollectionFailedException>(() => Run(options));
        Assert.Equal(CollectionFailureCodes.IdentityUnreadable, ex.Code);
        Assert.Equal("cannot read the caller's identity: sts:GetCallerIdentity failed with UnrecognizedClientException: The security token included in the request is invalid. " +
                     "Check the credentials (profile, AWS_* variables, SSO session, expiry) and network access to the STS endpoint; no snapshot was written.", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        // One call, and no organization or member call after it.
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void No_network_stops_before_anything_is_written()
    {
        CollectOptions options;
        Uri dead;
        using (var server = new FakeAwsServer(FakeOrganization.Create(3, ["us-east-1"]), LoadPlan()))
        {
            options = Options(server, Output, ["us-east-1"]);
            dead = server.BaseUri;
        }

        // Nothing listens on the port any more: connection refused, on every attempt.
        var ex = Assert.Throws<CollectionFailedException>(() => Run(options));
        Assert.Equal(CollectionFailureCodes.IdentityUnreadable, ex.Code);
        Assert.Equal($"cannot read the caller's identity: sts:GetCallerIdentity failed with ConnectionError: Connection refused ({dead.Host}:{dead.Port}). " +
                     "Check the credentials (profile, AWS_* variables, SSO session, expiry) and network access to the STS endpoint; no snapshot was written.", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void An_organization_that_cannot_be_read_stops_before_anything_is_written()
    {
        var org = FakeOrganization.Create(4, ["us-east-1"]);
        org.DenyService.Add((FakeOrganization.ManagementAccount, "organizations"));
        using var server = new FakeAwsServer(org, LoadPlan());
        var ex = Assert.Throws<CollectionFailedException>(() => Run(Options(server, Output, ["us-east-1"])));
        Assert.Equal(CollectionFailureCodes.OrganizationUnreadable, ex.Code);
        Assert.Equal("cannot read the organization: organizations:DescribeOrganization failed with AccessDeniedException: User is not authorized to perform: organizations:DescribeOrganization. " +
                     "Collect with the management account's or an Organizations delegated administrator's credentials, or pass --management-account to collect the caller's account alone; " +
                     "no snapshot was written.", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        Assert.Equal(0, server.RequestsByService("guardduty"));
    }

    [Fact]
    public void Accounts_that_cannot_be_listed_stop_before_anything_is_written()
    {
        var org = FakeOrganization.Create(4, ["us-east-1"]);
        org.AlwaysFail.Add((FakeOrganization.ManagementAccount, "us-east-1", "organizations", "ListAccounts"));
        using var server = new FakeAwsServer(org, LoadPlan());
        var ex = Assert.Throws<CollectionFailedException>(() => Run(Options(server, Output, ["us-east-1"])));
        Assert.Equal(CollectionFailureCodes.OrganizationUnreadable, ex.Code);
        Assert.StartsWith("cannot read the organization: organizations:ListAccounts failed with InternalFailure: injected permanent failure. ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void An_endpoint_dying_after_the_organization_phase_leaves_the_good_snapshot_and_writes_the_partial_one_beside_it()
    {
        var good = FakeOrganization.Create(3, ["us-east-1"]);
        using (var server = new FakeAwsServer(good, LoadPlan()))
        {
            var first = Run(Options(server, Output, ["us-east-1"]));
            Assert.False(first.ErrorRateExceeded);
            Assert.Equal(0, first.ErrorRate);
            Assert.Equal(Path.GetFullPath(Output), first.OutputPath);
        }

        var goodBytes = File.ReadAllBytes(Output);
        var dying = new FakeOrganization { DiesAfterOrganization = true, Regions = good.Regions };
        dying.Accounts.AddRange(good.Accounts);
        dying.OrganizationalUnits.AddRange(good.OrganizationalUnits);
        using (var server = new FakeAwsServer(dying, LoadPlan()))
        {
            var result = Run(Options(server, Output, ["us-east-1"]));
            Assert.True(result.ErrorRateExceeded);
            Assert.True(result.ErrorRate > 0.5, $"{result.ErrorRate}");
            Assert.Equal(Path.GetFullPath(Output + ".partial"), result.OutputPath);
        }

        Assert.Equal(goodBytes, File.ReadAllBytes(Output));
        using var partial = ReadSnapshot(Output + ".partial");
        var records = Records(partial);
        Assert.Contains(records, r => r.Status == "error" && r.ErrorCode == "ConnectionError");
        Assert.Equal(["snapshot.json", "snapshot.json.partial"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Allow_partial_writes_over_the_target_and_a_higher_threshold_accepts_the_run()
    {
        var org = FakeOrganization.Create(3, ["us-east-1"]);
        org.DenyAssumeRole.Add("100000000001");
        org.DenyAssumeRole.Add("100000000002");
        using var server = new FakeAwsServer(org, LoadPlan());
        File.WriteAllText(Output, "{}");

        var allowed = Run(With(Options(server, Output, ["us-east-1"]), allowPartial: true));
        Assert.True(allowed.ErrorRateExceeded);
        Assert.Equal(Path.GetFullPath(Output), allowed.OutputPath);
        Assert.NotEqual("{}", File.ReadAllText(Output));
        Assert.False(File.Exists(Output + ".partial"));

        var accepted = Run(With(Options(server, Output, ["us-east-1"]), maxErrorRate: 1));
        Assert.False(accepted.ErrorRateExceeded);
        Assert.Equal(allowed.ErrorRate, accepted.ErrorRate);
        Assert.Equal(Path.GetFullPath(Output), accepted.OutputPath);
        Assert.False(File.Exists(Output + ".partial"));
    }
}
