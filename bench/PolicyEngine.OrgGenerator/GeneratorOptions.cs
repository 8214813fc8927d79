namespace PolicyEngine.OrgGenerator;

/// <summary>What <see cref="OrganizationGenerator"/> builds. The same options always give the same bytes.</summary>
public sealed record GeneratorOptions
{
    /// <summary>The regions governed by generated organizations, in the order <see cref="RegionCount"/> takes them.</summary>
    public static IReadOnlyList<string> RegionPool { get; } =
    [
        "us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "eu-central-1", "ap-northeast-1", "us-east-2", "eu-west-2",
        "ca-central-1", "ap-south-1", "sa-east-1", "eu-north-1", "ap-southeast-1", "us-west-1", "eu-west-3", "ap-northeast-2",
    ];

    /// <summary>Seeds every random choice (which services fail, which Config items fail, where items live).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Workload accounts added to the template's seven accounts (management, audit, log archive, ...).</summary>
    public int Accounts { get; init; } = 10;

    /// <summary>Governed regions: the first <c>RegionCount</c> of <see cref="RegionPool"/> (1 to 16).</summary>
    public int RegionCount { get; init; } = 4;

    /// <summary>AWS Config items added to the template's resources (S3 buckets, GuardDuty detectors, instances, roles, keys).</summary>
    public int Resources { get; init; }

    /// <summary>
    /// Share (0..1) of the generated accounts' services whose evidence is taken from the typical-gaps template
    /// instead of the aligned one, and share of generated Config items that fail their check (unencrypted bucket,
    /// disabled detector, IMDSv1 instance, key without rotation).
    /// </summary>
    public double FailureShare { get; init; } = 0.2;

    /// <summary>Share (0..1) of the generated accounts' services whose calls failed (<c>status: error</c>, AccessDenied).</summary>
    public double ErrorShare { get; init; }

    /// <summary>The governed regions these options select.</summary>
    public IReadOnlyList<string> Regions => [.. RegionPool.Take(RegionCount)];

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (Accounts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Accounts), Accounts, "Accounts must be 0 or more.");
        }

        if (RegionCount < 1 || RegionCount > RegionPool.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(RegionCount), RegionCount, $"RegionCount must be 1 to {RegionPool.Count}.");
        }

        if (Resources < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Resources), Resources, "Resources must be 0 or more.");
        }

        if (FailureShare is < 0 or > 1 || double.IsNaN(FailureShare))
        {
            throw new ArgumentOutOfRangeException(nameof(FailureShare), FailureShare, "FailureShare must be between 0 and 1.");
        }

        if (ErrorShare is < 0 or > 1 || double.IsNaN(ErrorShare))
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorShare), ErrorShare, "ErrorShare must be between 0 and 1.");
        }
    }
}

/// <summary>What a generator run wrote.</summary>
/// <param name="Accounts">Accounts in <c>organization.accounts</c> (template and generated).</param>
/// <param name="EvidenceRecords">Records in <c>evidence</c>.</param>
/// <param name="Resources">Items in <c>resources</c>.</param>
/// <param name="FailingServices">Generated (account, service) pairs whose evidence came from the gaps template.</param>
/// <param name="ErroredServices">Generated (account, service) pairs whose calls are recorded as failed.</param>
/// <param name="FailingResources">Generated Config items written to fail their check.</param>
/// <param name="Bytes">Bytes written.</param>
public sealed record GeneratorResult(int Accounts, long EvidenceRecords, int Resources, int FailingServices, int ErroredServices, int FailingResources, long Bytes);
