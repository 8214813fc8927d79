using Amazon.Runtime;
using PolicyEngine.Aws.Http;

namespace PolicyEngine.Aws.Collection;

/// <summary>Options of one live collection run (<c>policy-engine collect</c>).</summary>
public sealed class CollectOptions
{
    /// <summary>The default name of the read-only role assumed in every member account.</summary>
    public const string DefaultRoleName = "PolicyEngineReadOnly";

    /// <summary>Snapshot file to write (<c>.json</c>, or <c>.json.gz</c> for gzip). Required.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Write gzip even if the path does not end in <c>.gz</c>.</summary>
    public bool Gzip { get; init; }

    /// <summary>The governed regions (<c>--region</c>, repeatable). Empty: each account's enabled regions.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Partition (<c>aws</c>, <c>aws-us-gov</c>, <c>aws-cn</c>); default derived from the first region, else <c>aws</c>.</summary>
    public string? Partition { get; init; }

    /// <summary>Role assumed in each member account (<c>--role-name</c>).</summary>
    public string RoleName { get; init; } = DefaultRoleName;

    /// <summary>External id passed to AssumeRole (<c>--external-id</c>).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Role session name.</summary>
    public string RoleSessionName { get; init; } = "policy-engine-collect";

    /// <summary>
    /// The management account (<c>--management-account</c>), for when it cannot be inferred from DescribeOrganization
    /// (e.g. the call is denied). Null: inferred (MasterAccountId, or the caller's own account when it belongs to no organization).
    /// </summary>
    public string? ManagementAccount { get; init; }

    /// <summary>Accounts configured as Security Tooling (<c>--security-tooling-account</c>).</summary>
    public IReadOnlyList<string> SecurityToolingAccounts { get; init; } = [];

    /// <summary>Accounts configured as Log Archive (<c>--log-archive-account</c>).</summary>
    public IReadOnlyList<string> LogArchiveAccounts { get; init; } = [];

    /// <summary>Accounts configured as Network (<c>--network-account</c>).</summary>
    public IReadOnlyList<string> NetworkAccounts { get; init; } = [];

    /// <summary>Accounts configured as Shared Services (<c>--shared-services-account</c>).</summary>
    public IReadOnlyList<string> SharedServicesAccounts { get; init; } = [];

    /// <summary>Restrict collection to these accounts (empty: every active account).</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>
    /// The part of the organization to collect (<c>--shard INDEX/COUNT</c>): the accounts whose id hashes to this shard,
    /// as <c>evaluate --shard</c> partitions them. Every shard reads the organization to know its accounts; only shard 0
    /// writes the organization section and the organization-level records, so that <c>merge</c> of the shards' snapshots
    /// holds each record once. Default: the whole organization.
    /// </summary>
    public Core.Sharding.Shard Shard { get; init; } = Core.Sharding.Shard.Whole;

    /// <summary>Calls in flight overall (<c>--concurrency</c>, default 32).</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Calls in flight per service for one account session and region, where AWS applies its rate limits (default 16).</summary>
    public int MaxConcurrencyPerService { get; init; } = 16;

    /// <summary>Calls in flight to AWS Organizations (one endpoint for the whole organization; default 4).</summary>
    public int OrganizationsConcurrency { get; init; } = 4;

    /// <summary>Accounts collected at the same time (default: 4 × <see cref="MaxConcurrency"/>, so that accounts in a dependent phase do not leave call slots idle).</summary>
    public int? MaxAccountsInParallel { get; init; }

    /// <summary>Retry settings.</summary>
    public RetrySettings Retry { get; init; } = new();

    /// <summary>Base URL that replaces every AWS endpoint (tests, local emulators). Null: real AWS endpoints.</summary>
    public Uri? EndpointOverride { get; init; }

    /// <summary>Directory of the collection plan (<c>collectors/</c>); default: found upwards from the working directory.</summary>
    public string? PlanDirectory { get; init; }

    /// <summary>
    /// The share of calls (evidence records with status error among those attempted, ok or error) above which the run
    /// is partial (<c>--max-error-rate</c>, 0 to 1, default 0.2): the snapshot is then written to
    /// <see cref="PartialPath"/> instead of over the target, unless <see cref="AllowPartial"/>.
    /// </summary>
    public double MaxErrorRate { get; init; } = DefaultMaxErrorRate;

    /// <summary>The default of <see cref="MaxErrorRate"/>.</summary>
    public const double DefaultMaxErrorRate = 0.2;

    /// <summary>Write a partial run over the target anyway (<c>--allow-partial</c>).</summary>
    public bool AllowPartial { get; init; }

    /// <summary>Where a partial run's snapshot goes: beside the target, with <c>.partial</c> appended to its name.</summary>
    public static string PartialPath(string outputPath) => outputPath + ".partial";

    /// <summary>
    /// AWS Config resource types to inventory (<c>--resource-types</c>; the CLI's default is the types the rule pack's
    /// <c>target: resource</c> rules read). Empty: no inventory, and coverage says the resources were not collected.
    /// </summary>
    public IReadOnlyList<string> ResourceTypes { get; init; } = [];

    /// <summary>The Config aggregator to read (<c>--config-aggregator ACCOUNT/NAME</c>); null: an aggregator in a Security Tooling account, if any.</summary>
    public (string Account, string Name)? ConfigAggregator { get; init; }

    /// <summary>Pages read per inventory query at most (100 items a page); a longer query is cut and its accounts and regions are partial.</summary>
    public int MaxInventoryPages { get; init; } = ConfigInventory.DefaultMaxPages;

    /// <summary>Source credentials; null: the SDK's default chain (environment, profiles incl. SSO, web identity, container, instance metadata).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>AWS profile to use with the default chain (like <c>AWS_PROFILE</c>).</summary>
    public string? Profile { get; init; }
}
