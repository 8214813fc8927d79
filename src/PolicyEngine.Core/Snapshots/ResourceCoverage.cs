using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>How completely the AWS Config items of one account and region were collected.</summary>
public enum ResourceCollectionStatus
{
    /// <summary>Every item of the collected types was read.</summary>
    Collected,

    /// <summary>Some items were read, but not all (throttled, a page failed, the aggregator's source is failing...).</summary>
    Partial,

    /// <summary>No item was read.</summary>
    NotCollected,
}

/// <summary>The coverage of one account and region: its status, why it is not complete, and where that is written.</summary>
/// <param name="Account">The account id.</param>
/// <param name="Region">The region.</param>
/// <param name="Status">How completely its items were collected.</param>
/// <param name="Reason">Why not completely (empty when collected).</param>
/// <param name="Path">Where the entry is in the snapshot.</param>
public sealed record ResourceCoverageEntry(string Account, string Region, ResourceCollectionStatus Status, string Reason, NormalizedPath Path);

/// <summary>
/// <c>coverage.resources</c>: which AWS Config resource types were asked for and, per account and region, whether their
/// items were collected. Resource rules read it so that an item that was never read is never taken for an absent one.
/// </summary>
/// <param name="ResourceTypes">The types asked for; null when the snapshot does not say (every type it holds counts as collected).</param>
/// <param name="TypesPath">Where the type list is written.</param>
/// <param name="Entries">Every account and region the collector reports on, sorted by account then region.</param>
public sealed record ResourceCoverage(IReadOnlySet<string>? ResourceTypes, NormalizedPath TypesPath, IReadOnlyList<ResourceCoverageEntry> Entries)
{
    /// <summary>The status words of the snapshot format, by status.</summary>
    public static string Word(ResourceCollectionStatus status) => status switch
    {
        ResourceCollectionStatus.Collected => "collected",
        ResourceCollectionStatus.Partial => "partial",
        _ => "notCollected",
    };
}
