namespace PolicyEngine.Aws.Collection;

/// <summary>A progress event of a collection run.</summary>
/// <param name="Phase">organization, accounts or writing.</param>
/// <param name="AccountsTotal">Active accounts to collect.</param>
/// <param name="AccountsDone">Accounts finished.</param>
/// <param name="RegionsDone">Account-region pairs finished.</param>
/// <param name="Calls">HTTP calls made (attempts included).</param>
/// <param name="Throttles">Throttling responses received.</param>
/// <param name="Errors">Evidence records with status error so far.</param>
public sealed record CollectionProgress(string Phase, int AccountsTotal, int AccountsDone, int RegionsDone, long Calls, long Throttles, long Errors);

/// <summary>Severity of a log line.</summary>
public enum CollectionLogLevel
{
    /// <summary>Detail.</summary>
    Debug,
    /// <summary>Normal progress.</summary>
    Information,
    /// <summary>Something was not collected.</summary>
    Warning,
    /// <summary>A failure that stops part of the run.</summary>
    Error,
}

/// <summary>Receives log lines from a collection or import. Lines never contain credentials.</summary>
public interface ICollectionLog
{
    /// <summary>Writes one line.</summary>
    void Log(CollectionLogLevel level, string message);
}

/// <summary>Counts of evidence records by status.</summary>
public sealed class StatusCounts
{
    /// <summary>Records with status ok.</summary>
    public int Ok { get; set; }
    /// <summary>Records with status error.</summary>
    public int Error { get; set; }
    /// <summary>Records with status notCollected.</summary>
    public int NotCollected { get; set; }
    /// <summary>All records.</summary>
    public int Total => Ok + Error + NotCollected;

    internal void Add(string status)
    {
        switch (status)
        {
            case "ok": Ok++; break;
            case "error": Error++; break;
            default: NotCollected++; break;
        }
    }
}

/// <summary>The coverage summary written to the snapshot's <c>coverage</c> section.</summary>
public sealed class CoverageSummary
{
    /// <summary>Counts over all evidence.</summary>
    public StatusCounts ByStatus { get; } = new();
    /// <summary>Counts per service.</summary>
    public SortedDictionary<string, StatusCounts> ByService { get; } = new(StringComparer.Ordinal);
    /// <summary>Counts per account.</summary>
    public SortedDictionary<string, StatusCounts> ByAccount { get; } = new(StringComparer.Ordinal);
    /// <summary>Active accounts found.</summary>
    public int AccountsActive { get; set; }
    /// <summary>Accounts whose role could not be assumed.</summary>
    public SortedSet<string> AccountsFailed { get; } = new(StringComparer.Ordinal);
    /// <summary>Whether the organization section was collected.</summary>
    public bool OrganizationCollected { get; set; }

    /// <summary>The caller's account belongs to no organization; the organization section lists it alone.</summary>
    public bool OrganizationStandalone { get; set; }

    /// <summary>Counts one record of this service and account, whose status is ok, error or notCollected.</summary>
    internal void Count(string service, string account, string status)
    {
        ByStatus.Add(status);
        if (!ByService.TryGetValue(service, out var byService))
        {
            byService = new StatusCounts();
            ByService[service] = byService;
        }

        byService.Add(status);
        if (!ByAccount.TryGetValue(account, out var byAccount))
        {
            byAccount = new StatusCounts();
            ByAccount[account] = byAccount;
        }

        byAccount.Add(status);
    }
}

/// <summary>What a collection run produced.</summary>
public sealed class CollectionResult
{
    /// <summary>The snapshot file written.</summary>
    public required string OutputPath { get; init; }
    /// <summary>Coverage by status, service and account.</summary>
    public required CoverageSummary Coverage { get; init; }
    /// <summary>HTTP calls made, retries included.</summary>
    public long Calls { get; init; }
    /// <summary>Throttling responses received.</summary>
    public long Throttles { get; init; }
    /// <summary>Wall-clock duration.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Calls of the account phase that ended with status error (the organization phase is not counted).</summary>
    public int CallsFailed { get; init; }
    /// <summary>Calls of the account phase that ended with status ok or error (notCollected is not an attempt).</summary>
    public int CallsAttempted { get; init; }
    /// <summary><see cref="CallsFailed"/> ÷ <see cref="CallsAttempted"/>; 0 when none was attempted.</summary>
    public double ErrorRate { get; init; }
    /// <summary>
    /// <see cref="ErrorRate"/> is above <see cref="CollectOptions.MaxErrorRate"/>: the run is partial, and unless
    /// <see cref="CollectOptions.AllowPartial"/> was set, <see cref="OutputPath"/> is the <c>.partial</c> file beside the target.
    /// </summary>
    public bool ErrorRateExceeded { get; init; }

    /// <summary>Configuration items written to the snapshot's resources.</summary>
    public int Resources { get; init; }

    /// <summary><c>coverage.sections.resources</c>: collected, partial or notCollected.</summary>
    public string ResourcesSection { get; init; } = "notCollected";

    /// <summary>Accounts and regions whose items were not, or only partly, collected.</summary>
    public int ResourceGaps { get; init; }
}
