using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Samples;

/// <summary>What evidence to generate for one operation of the plan.</summary>
public sealed class SampleEvidenceRequest
{
    /// <summary>The plan operation, <c>service:Operation</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>
    /// The response of every generated record (status <c>ok</c>). Strings in it may use <c>${account}</c>,
    /// <c>${accountName}</c>, <c>${region}</c>, <c>${partition}</c> and <c>${PARAMETER}</c> for any request parameter of
    /// the record; a string that is exactly <c>${PARAMETER}</c> takes the parameter's value as it is (number, list).
    /// </summary>
    public JsonNode? Response { get; init; }

    /// <summary>When set, the records are status <c>error</c> with this AWS error code (and <see cref="ErrorMessage"/>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message of <see cref="ErrorCode"/>; default "simulated CODE".</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>When set, the records are status <c>notCollected</c> with this reason.</summary>
    public string? NotCollectedReason { get; init; }

    /// <summary>Only these accounts (empty: every account the operation's scope covers).</summary>
    public IReadOnlyCollection<string> Accounts { get; init; } = [];

    /// <summary>Only these regions (empty: every governed region, or <c>global</c>).</summary>
    public IReadOnlyCollection<string> Regions { get; init; } = [];
}

/// <summary>
/// Generates the evidence records the collector would write for one operation of the collection plan, for the
/// organization of a sample: the calls its scope makes (which accounts, which regions, following the SRA roles), the
/// fixed parameters and every fan-out (<c>values</c>, <c>from</c> an earlier operation's records in the sample,
/// <c>organizationAccounts</c>). Only the response is the author's: one template for all records, with placeholders.
/// This is how sample evidence is written without writing JSON by hand; see CONTRIBUTING.md.
/// </summary>
public static class SampleEvidence
{
    /// <summary>Generates the records, in the snapshot's evidence order.</summary>
    /// <param name="plan">The collection plan.</param>
    /// <param name="organization">The sample: a snapshot, or a sample fragment directory (base.json plus evidence fragments).</param>
    /// <param name="request">Which operation, and what the records hold.</param>
    /// <exception cref="InvalidDataException">The operation is not in the plan, or the request names no account or region of the sample.</exception>
    public static IReadOnlyList<JsonObject> Generate(CollectionPlan plan, SampleOrganization organization, SampleEvidenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(request);
        var separator = request.Operation.IndexOf(':', StringComparison.Ordinal);
        var entries = separator < 0 ? [] : plan.Entries
            .Where(e => e.Service == request.Operation[..separator] && e.Operation == request.Operation[(separator + 1)..]).ToList();
        if (entries.Count == 0)
        {
            var near = plan.Entries.Select(e => $"{e.Service}:{e.Operation}")
                .Where(n => n.Contains(request.Operation.Split(':')[^1], StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
            throw new InvalidDataException($"'{request.Operation}' is not an operation of the collection plan (write service:Operation{(near.Count > 0 ? "; did you mean " + string.Join(" or ", near) + "?" : ", and add it to collectors/ first")})");
        }

        foreach (var account in request.Accounts.Where(a => !organization.Accounts.Contains(a)))
        {
            throw new InvalidDataException($"account {account} is not an ACTIVE account of the sample's organization ({string.Join(", ", organization.Accounts)})");
        }

        var records = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var (account, region) in Contexts(entry, organization, request))
            {
                foreach (var record in Records(entry, organization, account, region, request))
                {
                    if (request.Regions.Count == 0 || request.Regions.Contains(record["region"]!.GetValue<string>()))
                    {
                        records.TryAdd(Key(record), record);
                    }
                }
            }
        }

        return [.. records.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)];
    }

    /// <summary>Merges records into a fragment (a JSON array of evidence records): a record with the same key is replaced.</summary>
    public static JsonArray Merge(JsonArray fragment, IEnumerable<JsonObject> records)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(records);
        var merged = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in fragment)
        {
            if (item is JsonObject o)
            {
                merged[Key(o)] = o.DeepClone();
            }
        }

        foreach (var record in records)
        {
            merged[Key(record)] = record.DeepClone();
        }

        return [.. merged.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)];
    }

    /// <summary>Writes a fragment the way the samples are written: two-space indentation, LF, final newline.</summary>
    public static string Write(JsonArray fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return fragment.ToJsonString(Layout) + "\n";
    }

    private static readonly JsonSerializerOptions Layout = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A record's evidence key as text, in the snapshot's evidence order (service, operation, account, region, canonical
    /// parameters). A record without parameters is the call without parameters, as the snapshot loader keys it.
    /// </summary>
    public static string Key(JsonObject record) => string.Join('\u0001',
        record["service"]?.ToString(), record["operation"]?.ToString(), record["account"]?.ToString(), record["region"]?.ToString(),
        record["parameters"] is { } parameters ? Canonical(parameters) : "{}");

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(',', o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key, AwsJsonContext.Default.String) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(',', a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static IEnumerable<(string Account, string Region)> Contexts(PlanEntry entry, SampleOrganization organization, SampleEvidenceRequest request)
    {
        IEnumerable<string> accounts = entry.Scope == PlanScopes.Organization
            ? [organization.ManagementAccount]
            : PlanScopes.Role(entry.Scope) is { } role ? organization.AccountsWithRole(role) : organization.Accounts;
        IEnumerable<string> regions = PlanScopes.IsRegional(entry.Scope) ? organization.Regions : ["global"];
        var unknown = request.Regions.Where(r => r != "global" && !organization.Regions.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"region {unknown[0]} is not governed by the sample (regions.governed: {string.Join(", ", organization.Regions)})");
        }

        // Every region is visited: a fan-out may route a call to another region than its source's. --region filters records.
        foreach (var account in accounts.Where(a => request.Accounts.Count == 0 || request.Accounts.Contains(a)))
        {
            foreach (var region in regions)
            {
                yield return (account, region);
            }
        }
    }

    private static IEnumerable<JsonObject> Records(PlanEntry entry, SampleOrganization organization, string account, string region, SampleEvidenceRequest request)
    {
        foreach (var parameters in ParameterSets(entry, organization, account, region))
        {
            var record = new JsonObject
            {
                ["service"] = entry.Service,
                ["operation"] = entry.Operation,
                ["account"] = account,
                ["region"] = parameters.Region ?? region,
                ["parameters"] = parameters.Parameters,
            };
            if (parameters.NotCollected is { } reason)
            {
                record["status"] = "notCollected";
                record["reason"] = reason;
            }
            else if (request.NotCollectedReason is { } requested)
            {
                record["status"] = "notCollected";
                record["reason"] = requested;
            }
            else if (request.ErrorCode is { } code)
            {
                record["status"] = "error";
                record["error"] = new JsonObject { ["code"] = code, ["message"] = request.ErrorMessage ?? "simulated " + code };
            }
            else
            {
                record["status"] = "ok";
                record["response"] = Fill(request.Response?.DeepClone() ?? new JsonObject(), organization, account, parameters.Region ?? region, parameters.Parameters);
            }

            yield return record;
        }
    }

    private sealed record ParameterSet(JsonObject Parameters, string? NotCollected = null, string? Region = null);

    // As the collector does: fixed parameters, then each forEach source (a union; an item may route the call to its own
    // region), then organization-account batches.
    private static List<ParameterSet> ParameterSets(PlanEntry entry, SampleOrganization organization, string account, string region)
    {
        var fixedParameters = Resolve(entry, organization, account, region);
        var sets = new List<ParameterSet>();
        if (entry.ForEach.Count == 0)
        {
            sets.Add(new ParameterSet(fixedParameters));
        }

        foreach (var fanOut in entry.ForEach)
        {
            if (fanOut.Values is { } values)
            {
                sets.AddRange(values.Select(v => new ParameterSet(With(fixedParameters, fanOut.Parameter, fanOut.AsList ? new JsonArray(v?.DeepClone()) : v?.DeepClone()))));
                continue;
            }

            var (service, operation) = CollectionPlan.SplitFrom(entry.Service, fanOut.From!);
            var sources = organization.Evidence.Where(r => r["service"]?.ToString() == service && r["operation"]?.ToString() == operation
                && r["account"]?.ToString() == account && r["region"]?.ToString() == region).ToList();
            if (sources.Any(s => s["status"]?.ToString() != "ok"))
            {
                // The collector records one notCollected call when its source failed.
                sets.Add(new ParameterSet([], $"depends on {service}:{operation}, which failed"));
                continue;
            }

            foreach (var source in sources)
            {
                var response = JsonSerializer.SerializeToElement(source["response"], AwsJsonContext.Default.JsonNode);
                foreach (var selected in CollectionPlan.Select(response, fanOut.Select!))
                {
                    // forEach.region: the item names the region where the call is made; forEach.value: the path to the value.
                    string? routed = null;
                    if (fanOut.Region is not null)
                    {
                        routed = CollectionPlan.Select(selected, fanOut.Region).FirstOrDefault() is { ValueKind: JsonValueKind.String } r ? r.GetString() : null;
                        if (routed is null)
                        {
                            continue;
                        }
                    }

                    var item = fanOut.Value is null ? selected : CollectionPlan.Select(selected, fanOut.Value).FirstOrDefault();
                    var value = item.ValueKind == JsonValueKind.Undefined ? null : CollectionPlan.Transform(JsonNode.Parse(item.GetRawText()), fanOut.Transform);
                    if (value is null)
                    {
                        continue;
                    }

                    var parameters = With(routed is null ? fixedParameters : Resolve(entry, organization, account, routed), fanOut.Parameter, fanOut.AsList ? new JsonArray(value) : value);
                    foreach (var name in fanOut.Inherit)
                    {
                        if (source["parameters"] is JsonObject inherited && inherited.TryGetPropertyValue(name, out var v))
                        {
                            parameters[name] = v?.DeepClone();
                        }
                    }

                    sets.Add(new ParameterSet(parameters, Region: routed));
                }
            }
        }

        if (entry.OrganizationAccounts is { } batches)
        {
            sets = [.. sets.SelectMany(s => s.NotCollected is not null ? [s] : batches.Batches(organization.Accounts)
                .Select(batch => s with { Parameters = With(s.Parameters, batches.Parameter, new JsonArray([.. batch.Select(a => (JsonNode?)JsonValue.Create(a))])) }))];
        }

        return sets;
    }

    private static JsonObject Resolve(PlanEntry entry, SampleOrganization organization, string account, string region) =>
        (JsonObject)JsonNode.Parse(entry.Parameters.ToJsonString()
            .Replace("${account}", account, StringComparison.Ordinal)
            .Replace("${region}", region, StringComparison.Ordinal)
            .Replace("${partition}", organization.Partition, StringComparison.Ordinal))!;

    private static JsonObject With(JsonObject parameters, string name, JsonNode? value)
    {
        var copy = (JsonObject)parameters.DeepClone();
        copy[name] = value;
        return copy;
    }

    private static JsonNode? Fill(JsonNode? node, SampleOrganization organization, string account, string region, JsonObject parameters)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    o[name] = Fill(child?.DeepClone(), organization, account, region, parameters);
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Fill(a[i]?.DeepClone(), organization, account, region, parameters);
                }

                return a;
            case JsonValue v when v.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal):
                if (text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') && text.IndexOf('}', StringComparison.Ordinal) == text.Length - 1
                    && parameters.TryGetPropertyValue(text[2..^1], out var whole))
                {
                    return whole?.DeepClone();
                }

                text = text.Replace("${account}", account, StringComparison.Ordinal)
                    .Replace("${accountName}", organization.AccountName(account), StringComparison.Ordinal)
                    .Replace("${region}", region, StringComparison.Ordinal)
                    .Replace("${partition}", organization.Partition, StringComparison.Ordinal);
                foreach (var (name, value) in parameters)
                {
                    text = text.Replace("${" + name + "}", value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value?.ToJsonString(), StringComparison.Ordinal);
                }

                return JsonValue.Create(text);
            default:
                return node;
        }
    }
}
