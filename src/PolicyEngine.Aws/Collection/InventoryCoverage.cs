using System.Text.Json;

namespace PolicyEngine.Aws.Collection;

/// <summary>How completely one account and region's configuration items were read (<c>coverage.resources.byAccount</c>).</summary>
internal sealed class InventoryPair
{
    /// <summary><c>collected</c>, <c>partial</c> or <c>notCollected</c>.</summary>
    public string Status { get; set; } = InventoryCoverage.NotCollected;

    /// <summary>Why not collected, or only in part; empty when collected.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Items read there.</summary>
    public int Items { get; set; }

    /// <summary><c>aggregator</c> or <c>perAccount</c>.</summary>
    public string Via { get; set; } = InventoryCoverage.PerAccount;
}

/// <summary>
/// The live inventory's coverage: the types asked for, where the items came from, and per account and region whether
/// they were collected. Written as <c>coverage.resources</c>; the engine's resource rules read it.
/// </summary>
internal sealed class InventoryCoverage
{
    public const string Collected = "collected";
    public const string Partial = "partial";
    public const string NotCollected = "notCollected";
    public const string Aggregator = "aggregator";
    public const string PerAccount = "perAccount";

    /// <summary>The types asked for, sorted.</summary>
    public List<string> ResourceTypes { get; init; } = [];

    /// <summary>The aggregator used (<c>ACCOUNT/REGION/NAME</c>), or null.</summary>
    public string? AggregatorName { get; set; }

    /// <summary>Why nothing was collected, when nothing was.</summary>
    public string? Reason { get; set; }

    /// <summary>Per account, per region.</summary>
    public SortedDictionary<string, SortedDictionary<string, InventoryPair>> ByAccount { get; } = new(StringComparer.Ordinal);

    /// <summary>The pair of an account and region, created not collected.</summary>
    public InventoryPair Pair(string account, string region)
    {
        lock (ByAccount)
        {
            if (!ByAccount.TryGetValue(account, out var regions))
            {
                regions = new SortedDictionary<string, InventoryPair>(StringComparer.Ordinal);
                ByAccount[account] = regions;
            }

            if (!regions.TryGetValue(region, out var pair))
            {
                pair = new InventoryPair();
                regions[region] = pair;
            }

            return pair;
        }
    }

    private IEnumerable<InventoryPair> Pairs => ByAccount.Values.SelectMany(r => r.Values);

    /// <summary><c>aggregator</c>, <c>perAccount</c>, <c>mixed</c> or <c>none</c>.</summary>
    public string Source
    {
        get
        {
            var via = Pairs.Select(p => p.Via).Distinct(StringComparer.Ordinal).ToList();
            return via.Count switch { 0 => "none", 1 => via[0], _ => "mixed" };
        }
    }

    /// <summary>
    /// <c>sections.resources</c>: notCollected when no account and region was reported on (nothing was asked for), collected
    /// when every one was collected, otherwise partial (the per-pair entries then say which).
    /// </summary>
    public string Section => !Pairs.Any() ? NotCollected : Pairs.All(p => p.Status == Collected) ? Collected : Partial;

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("source", Source);
        if (AggregatorName is not null)
        {
            w.WriteString("aggregator", AggregatorName);
        }

        w.WritePropertyName("resourceTypes");
        w.WriteStartArray();
        foreach (var t in ResourceTypes)
        {
            w.WriteStringValue(t);
        }

        w.WriteEndArray();
        if (Reason is not null)
        {
            w.WriteString("reason", Reason);
        }

        w.WritePropertyName("byAccount");
        w.WriteStartObject();
        foreach (var (account, regions) in ByAccount)
        {
            w.WritePropertyName(account);
            w.WriteStartObject();
            foreach (var (region, pair) in regions)
            {
                w.WritePropertyName(region);
                w.WriteStartObject();
                w.WriteNumber("items", pair.Items);
                if (pair.Reason.Length > 0)
                {
                    w.WriteString("reason", pair.Reason);
                }

                w.WriteString("status", pair.Status);
                w.WriteString("via", pair.Via);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
