using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using PolicyEngine.Aws.ConfigItems;
using PolicyEngine.Aws.Http;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Collection;

/// <summary>An account the inventory reports on: the regions collected there and its credentials (null when its role was not assumed).</summary>
internal sealed record InventoryAccount(string Id, IReadOnlyList<string> Regions, Func<CancellationToken, Task<ImmutableCredentials>>? Credentials, string? Failure);

/// <summary>What the inventory is asked for.</summary>
internal sealed class InventoryRequest
{
    /// <summary>The Config resource types to read.</summary>
    public required IReadOnlyList<string> ResourceTypes { get; init; }

    /// <summary>The aggregator named with <c>--config-aggregator</c>, or null to look in the candidates.</summary>
    public (string Account, string Name)? Aggregator { get; init; }

    /// <summary>Accounts to look for an aggregator in when none is named (the Security Tooling accounts).</summary>
    public IReadOnlyList<string> AggregatorCandidates { get; init; } = [];

    /// <summary>The accounts reported on, with the regions collected in each.</summary>
    public required IReadOnlyList<InventoryAccount> Accounts { get; init; }

    /// <summary>Regions to search for an aggregator in an account that was not collected in this run.</summary>
    public IReadOnlyList<string> SearchRegions { get; init; } = [];

    /// <summary>The <c>--regions</c> filter (empty: every region): aggregator items of other regions are left out.</summary>
    public IReadOnlyList<string> RegionFilter { get; init; } = [];

    /// <summary>Credentials for an account (collected in the run, or assumed now); null when they cannot be had.</summary>
    public required Func<string, CancellationToken, Task<Func<CancellationToken, Task<ImmutableCredentials>>?>> CredentialsFor { get; init; }

    /// <summary>Pages read per query at most; a query with more is cut and its pairs are partial.</summary>
    public int MaxPages { get; init; } = ConfigInventory.DefaultMaxPages;
}

/// <summary>The inventory's items (normalised as <c>import</c> normalises them) and its coverage.</summary>
internal sealed record InventoryResult(ConfigurationItemSet Items, InventoryCoverage Coverage);

/// <summary>
/// Reads the organization's AWS Config configuration items: from the Config aggregator through
/// <c>SelectAggregateResourceConfig</c> (one query, 100 items a page), or per account and region through
/// <c>SelectResourceConfig</c> where no aggregator reaches. Every item goes through the importer's normaliser, and every
/// account and region reports whether its items were collected, so that a missing item is never taken for an absent one.
/// </summary>
internal sealed class ConfigInventory(AwsHttpClient http, string partition, Uri? endpointOverride, ICollectionLog? log)
{
    /// <summary>Results per page: the Limit maximum of the Select operations.</summary>
    public const int PageLimit = 100;

    /// <summary>Pages per query before the query is cut (1,000,000 items).</summary>
    public const int DefaultMaxPages = 10_000;

    /// <summary>The longest expression Config accepts.</summary>
    public const int MaxExpressionLength = 4096;

    /// <summary>
    /// The configuration item fields selected: those the delivery dialect's records carry and the normaliser maps.
    /// <c>relationships</c> is not selectable in advanced queries.
    /// </summary>
    public static readonly string[] Fields =
    [
        "resourceId", "resourceType", "resourceName", "arn", "accountId", "awsRegion", "availabilityZone", "version", "configurationItemCaptureTime",
        "configurationItemStatus", "configurationStateId", "resourceCreationTime", "tags", "configuration", "supplementaryConfiguration",
    ];

    private const string ServiceName = "config";
    private const string TargetPrefix = "StarlingDoveService";

    /// <summary>The queries that read the types: as few as fit in <see cref="MaxExpressionLength"/> characters each.</summary>
    public static List<string> Queries(IReadOnlyList<string> types)
    {
        var head = "SELECT " + string.Join(", ", Fields) + " WHERE resourceType IN (";
        var queries = new List<string>();
        var current = new List<string>();
        string Build(List<string> ts) => head + string.Join(", ", ts.Select(t => "'" + t + "'")) + ")";
        foreach (var t in types)
        {
            if (!ConfigurationItems.IsResourceType(t))
            {
                throw new ArgumentException($"not a Config resource type: {t}", nameof(types));
            }

            if (current.Count > 0 && Build([.. current, t]).Length > MaxExpressionLength)
            {
                queries.Add(Build(current));
                current = [];
            }

            current.Add(t);
        }

        if (current.Count > 0)
        {
            queries.Add(Build(current));
        }

        return queries;
    }

    public async Task<InventoryResult> CollectAsync(InventoryRequest request, CancellationToken ct)
    {
        var coverage = new InventoryCoverage { ResourceTypes = [.. request.ResourceTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
        var items = new ConfigurationItemSet();
        if (coverage.ResourceTypes.Count == 0)
        {
            coverage.Reason = "no resource type was asked for: the rule pack has no target: resource rule; pass --resource-types, or a --rules pack with resource rules";
            return new InventoryResult(items, coverage);
        }

        var queries = Queries(coverage.ResourceTypes);
        var accounts = request.Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var a in request.Accounts)
        {
            foreach (var r in a.Regions)
            {
                coverage.Pair(a.Id, r);
            }
        }

        var perAccount = new HashSet<(string Account, string Region)>(request.Accounts.SelectMany(a => a.Regions.Select(r => (a.Id, r))));
        var aggregator = await FindAggregatorAsync(request, ct).ConfigureAwait(false);
        if (aggregator is { } found)
        {
            coverage.AggregatorName = $"{found.Account}/{found.Region}/{found.Name}";
            var covered = await ReadAggregatorAsync(request, found, queries, accounts, coverage, items, ct).ConfigureAwait(false);
            perAccount.ExceptWith(covered);
        }

        // Per account: where there is no aggregator, or the aggregator does not reach.
        await Task.WhenAll(perAccount.Order().Select(async pair =>
        {
            var account = accounts[pair.Account];
            var entry = coverage.Pair(pair.Account, pair.Region);
            entry.Via = InventoryCoverage.PerAccount;
            if (account.Credentials is null)
            {
                entry.Status = InventoryCoverage.NotCollected;
                entry.Reason = $"the collection role could not be assumed in the account ({account.Failure})";
                return;
            }

            var credentials = await account.Credentials(ct).ConfigureAwait(false);
            var found = new List<JsonObject>();
            var failures = new List<string>();
            var pages = 0;
            foreach (var query in queries)
            {
                var run = await SelectAllAsync("SelectResourceConfig", new JsonObject { ["Expression"] = query }, pair.Region, credentials, request.MaxPages, found.Add, ct).ConfigureAwait(false);
                pages += run.Pages;
                if (run.Failure is not null)
                {
                    failures.Add(run.Failure);
                }
            }

            lock (items)
            {
                foreach (var raw in found)
                {
                    items.Add(raw);
                }
            }

            entry.Items = found.Count;
            entry.Status = failures.Count == 0 ? InventoryCoverage.Collected : pages > 0 ? InventoryCoverage.Partial : InventoryCoverage.NotCollected;
            entry.Reason = string.Join("; ", failures);
        })).ConfigureAwait(false);

        var gaps = coverage.ByAccount.Values.SelectMany(r => r.Values).Count(p => p.Status != InventoryCoverage.Collected);
        log?.Log(CollectionLogLevel.Information, string.Create(CultureInfo.InvariantCulture,
            $"Config inventory: {items.Count} items of {coverage.ResourceTypes.Count} resource types, {(coverage.AggregatorName is { } n ? "from aggregator " + n : "per account (no aggregator)")}; {gaps} account-regions not fully collected"));
        return new InventoryResult(items, coverage);
    }

    private sealed record Aggregator(string Account, string Region, string Name, JsonObject Definition, Func<CancellationToken, Task<ImmutableCredentials>> Credentials);

    /// <summary>The aggregator to read: the one named, else an organization aggregator in a candidate account (home region first).</summary>
    private async Task<Aggregator?> FindAggregatorAsync(InventoryRequest request, CancellationToken ct)
    {
        var home = AwsPartitions.HomeRegion(partition);
        IReadOnlyList<string> candidates = request.Aggregator is { } named ? [named.Account] : request.AggregatorCandidates;
        foreach (var account in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var credentialsOf = await request.CredentialsFor(account, ct).ConfigureAwait(false);
            if (credentialsOf is null)
            {
                log?.Log(CollectionLogLevel.Warning, $"Config inventory: no credentials for account {account}, so its aggregators cannot be read");
                continue;
            }

            var credentials = await credentialsOf(ct).ConfigureAwait(false);
            var regions = request.Accounts.FirstOrDefault(a => a.Id == account)?.Regions is { Count: > 0 } collected ? collected : request.SearchRegions;
            var ordered = regions.Distinct(StringComparer.Ordinal).OrderBy(r => r == home ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal).ToList();
            var found = await Task.WhenAll(ordered.Select(async region =>
            {
                var body = new JsonObject();
                if (request.Aggregator is { } n)
                {
                    body["ConfigurationAggregatorNames"] = new JsonArray(n.Name);
                }

                var list = new List<JsonObject>();
                string? token = null;
                for (var page = 0; page < request.MaxPages; page++)
                {
                    if (token is not null)
                    {
                        body["NextToken"] = token;
                    }

                    var response = await SendAsync("DescribeConfigurationAggregators", body, region, credentials, ct).ConfigureAwait(false);
                    if (!response.IsSuccess)
                    {
                        if (response.ErrorCode != "NoSuchConfigurationAggregatorException")
                        {
                            log?.Log(CollectionLogLevel.Warning, $"Config inventory: config:DescribeConfigurationAggregators in {account}/{region} failed with {response.ErrorCode}");
                        }

                        break;
                    }

                    JsonNode? node;
                    try
                    {
                        node = Parse(response.Body);
                    }
                    catch (InvalidDataException ex)
                    {
                        log?.Log(CollectionLogLevel.Warning, $"Config inventory: config:DescribeConfigurationAggregators in {account}/{region} answered {ex.Message}");
                        break;
                    }

                    list.AddRange((node?["ConfigurationAggregators"] as JsonArray)?.OfType<JsonObject>() ?? []);
                    token = node?["NextToken"] is JsonValue t && t.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
                    if (token is null)
                    {
                        break;
                    }
                }

                return list.Select(a => (Region: region, Definition: a)).ToList();
            })).ConfigureAwait(false);

            var choice = found.SelectMany(x => x)
                .Where(x => x.Definition["ConfigurationAggregatorName"] is JsonValue)
                .Where(x => request.Aggregator is not { } n || x.Definition["ConfigurationAggregatorName"]!.GetValue<string>() == n.Name)
                .OrderBy(x => x.Definition["OrganizationAggregationSource"] is JsonObject ? 0 : 1)
                .ThenBy(x => ordered.IndexOf(x.Region))
                .ThenBy(x => x.Definition["ConfigurationAggregatorName"]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(x => (x.Region, x.Definition))
                .FirstOrDefault();
            if (choice.Definition is not null)
            {
                return new Aggregator(account, choice.Region, choice.Definition["ConfigurationAggregatorName"]!.GetValue<string>(), choice.Definition, credentialsOf);
            }
        }

        var where = candidates.Count == 0 ? "no Security Tooling account is known (pass --security-tooling-account or --config-aggregator)" : "in " + string.Join(", ", candidates);
        log?.Log(request.Aggregator is null ? CollectionLogLevel.Information : CollectionLogLevel.Warning, request.Aggregator is { } missing
            ? $"{InventoryCodes.AggregatorNotFound}: the Config aggregator {missing.Account}/{missing.Name} was not found in any collected region of account {missing.Account}; reading each account and region instead"
            : $"Config inventory: no Config aggregator {where}; reading each account and region instead");
        return null;
    }

    /// <summary>Reads the aggregator's items; returns the account-region pairs it covers (read, partly read, or failing at its source).</summary>
    private async Task<HashSet<(string, string)>> ReadAggregatorAsync(InventoryRequest request, Aggregator aggregator, List<string> queries,
        Dictionary<string, InventoryAccount> accounts, InventoryCoverage coverage, ConfigurationItemSet items, CancellationToken ct)
    {
        var credentials = await aggregator.Credentials(ct).ConfigureAwait(false);
        bool Covers(string account, string region)
        {
            static bool Regions(JsonObject? source, string region) =>
                source is not null && (source["AllAwsRegions"] is JsonValue all && all.TryGetValue<bool>(out var a) && a
                    || (source["AwsRegions"] as JsonArray)?.Any(r => r?.GetValue<string>() == region) == true);
            if (aggregator.Definition["OrganizationAggregationSource"] is JsonObject org && Regions(org, region))
            {
                return true;
            }

            return (aggregator.Definition["AccountAggregationSources"] as JsonArray)?.OfType<JsonObject>()
                .Any(s => (s["AccountIds"] as JsonArray)?.Any(id => id?.GetValue<string>() == account) == true && Regions(s, region)) == true;
        }

        var covered = new HashSet<(string, string)>(accounts.Values.SelectMany(a => a.Regions.Where(r => Covers(a.Id, r)).Select(r => (a.Id, r))));

        // The aggregator's own account of each source: a FAILED or OUTDATED source, or one it does not list, may lack items.
        var status = await SourcesStatusAsync(aggregator, credentials, request.MaxPages, ct).ConfigureAwait(false);
        var found = new List<JsonObject>();
        var failures = new List<string>();
        var pages = 0;
        foreach (var query in queries)
        {
            var run = await SelectAllAsync("SelectAggregateResourceConfig", new JsonObject { ["Expression"] = query, ["ConfigurationAggregatorName"] = aggregator.Name },
                aggregator.Region, credentials, request.MaxPages, found.Add, ct).ConfigureAwait(false);
            pages += run.Pages;
            if (run.Failure is not null)
            {
                failures.Add(run.Failure);
            }
        }

        if (pages == 0)
        {
            // Nothing came from the aggregator at all: each account is read on its own instead.
            log?.Log(CollectionLogLevel.Warning, $"Config inventory: the aggregator {coverage.AggregatorName} could not be queried ({string.Join("; ", failures)}); reading each account and region instead");
            coverage.AggregatorName = null;
            return [];
        }

        foreach (var raw in found)
        {
            var ci = ConfigurationItems.Normalise(raw);
            var account = ConfigurationItems.Str(ci, "awsAccountId");
            var region = ConfigurationItems.Str(ci, "awsRegion");
            if (!accounts.ContainsKey(account) || (request.RegionFilter.Count > 0 && region != "global" && !request.RegionFilter.Contains(region)))
            {
                continue; // an account this run does not collect (another shard's, --account), or a region not governed
            }

            items.AddNormalised(ci);
            if (covered.Contains((account, region)))
            {
                coverage.Pair(account, region).Items++;
            }
        }

        foreach (var (account, region) in covered)
        {
            var pair = coverage.Pair(account, region);
            pair.Via = InventoryCoverage.Aggregator;
            var reasons = new List<string>(failures.Select(f => "the aggregator query stopped: " + f));
            if (status.Failure is not null)
            {
                reasons.Add($"the aggregator's source status could not be read ({status.Failure})");
            }
            else if (!status.BySource.TryGetValue((account, region), out var source) && !status.BySource.TryGetValue(("*", region), out source))
            {
                reasons.Add($"the aggregator {aggregator.Name} lists no source status for this account and region");
            }
            else if (source.Status != "SUCCEEDED")
            {
                reasons.Add($"the aggregator's source status is {source.Status}{(source.Error.Length > 0 ? " (" + source.Error + ")" : string.Empty)}");
            }

            pair.Reason = string.Join("; ", reasons);
            pair.Status = reasons.Count == 0 ? InventoryCoverage.Collected : pair.Items > 0 ? InventoryCoverage.Partial : InventoryCoverage.NotCollected;
        }

        return covered;
    }

    private sealed record SourceStatus(Dictionary<(string, string), (string Status, string Error)> BySource, string? Failure);

    private async Task<SourceStatus> SourcesStatusAsync(Aggregator aggregator, ImmutableCredentials credentials, int maxPages, CancellationToken ct)
    {
        var map = new Dictionary<(string, string), (string, string)>();
        var body = new JsonObject { ["ConfigurationAggregatorName"] = aggregator.Name };
        for (var page = 0; page < maxPages; page++)
        {
            var response = await SendAsync("DescribeConfigurationAggregatorSourcesStatus", body, aggregator.Region, credentials, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return new SourceStatus(map, $"{response.ErrorCode}: {response.ErrorMessage}");
            }

            JsonNode? node;
            try
            {
                node = Parse(response.Body);
            }
            catch (InvalidDataException ex)
            {
                return new SourceStatus(map, ex.Message);
            }

            foreach (var s in (node?["AggregatedSourceStatusList"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var id = s["SourceId"]?.GetValue<string>() ?? string.Empty;
                var region = s["AwsRegion"]?.GetValue<string>() ?? string.Empty;
                var key = s["SourceType"]?.GetValue<string>() == "ORGANIZATION" ? ("*", region) : (id, region);
                var error = string.Join(": ", new[] { s["LastErrorCode"]?.GetValue<string>(), s["LastErrorMessage"]?.GetValue<string>() }.Where(x => !string.IsNullOrEmpty(x)));
                map[key] = (s["LastUpdateStatus"]?.GetValue<string>() ?? "UNKNOWN", error);
            }

            if (node?["NextToken"] is not JsonValue t || !t.TryGetValue<string>(out var token) || token.Length == 0)
            {
                return new SourceStatus(map, null);
            }

            body["NextToken"] = token;
        }

        return new SourceStatus(map, $"more than {maxPages} pages");
    }

    /// <summary>One query's pages read and why it stopped early (null when it read every page).</summary>
    private sealed record SelectRun(int Pages, string? Failure);

    private async Task<SelectRun> SelectAllAsync(string operation, JsonObject body, string region, ImmutableCredentials credentials, int maxPages,
        Action<JsonObject> onItem, CancellationToken ct)
    {
        body["Limit"] = PageLimit;
        for (var page = 0; page < maxPages; page++)
        {
            var response = await SendAsync(operation, body, region, credentials, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                var attempts = response.Attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" after {response.Attempts} attempts") : string.Empty;
                var at = page == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" on page {page + 1}");
                return new SelectRun(page, $"config:{operation} failed{at} with {response.ErrorCode}{attempts}: {OneLine(response.ErrorMessage)}");
            }

            JsonNode? node;
            try
            {
                node = Parse(response.Body);
                foreach (var result in (node?["Results"] as JsonArray) ?? [])
                {
                    onItem(ConfigurationItems.FromQueryResult(result));
                }
            }
            catch (InvalidDataException ex)
            {
                return new SelectRun(page, $"config:{operation} answered page {page + 1} with a result that is not a configuration item: {ex.Message}");
            }

            if (node?["NextToken"] is not JsonValue t || !t.TryGetValue<string>(out var token) || token.Length == 0)
            {
                return new SelectRun(page + 1, null);
            }

            body["NextToken"] = token;
        }

        return new SelectRun(maxPages, string.Create(CultureInfo.InvariantCulture, $"config:{operation} paging was cut after {maxPages} pages ({maxPages * PageLimit} items)"));
    }

    private Task<AwsResponse> SendAsync(string operation, JsonObject body, string region, ImmutableCredentials credentials, CancellationToken ct)
    {
        var request = new AwsRequest
        {
            Service = ServiceName, SigningName = ServiceName, SigningRegion = region,
            Endpoint = endpointOverride ?? new Uri($"https://config.{region}.{AwsPartitions.DnsSuffix(partition)}"),
            Method = "POST", Path = "/",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Amz-Target"] = $"{TargetPrefix}.{operation}" },
            Body = Encoding.UTF8.GetBytes(body.ToJsonString()), ContentType = "application/x-amz-json-1.1",
        };
        return http.SendAsync(request, credentials, ct);
    }

    private static JsonNode? Parse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not JSON: {ex.Message}", ex);
        }
    }

    private static string OneLine(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Codes of the Config inventory (documented in docs/diagnostics.md).</summary>
public static class InventoryCodes
{
    /// <summary><c>--config-aggregator</c> is not <c>ACCOUNT/NAME</c>.</summary>
    public const string AggregatorOption = "PE8030";

    /// <summary>A <c>--resource-types</c> value is not a Config resource type.</summary>
    public const string ResourceTypeOption = "PE8031";

    /// <summary>The aggregator named with <c>--config-aggregator</c> was not found; each account was read instead.</summary>
    public const string AggregatorNotFound = "PE8032";
}
