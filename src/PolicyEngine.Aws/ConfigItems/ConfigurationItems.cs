using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PolicyEngine.Aws.ConfigItems;

/// <summary>
/// The one normaliser of AWS Config configuration items: <c>policy-engine import</c> and the live collector both turn
/// every item, whatever its dialect (API, S3 delivery files, advanced-query results), into the delivery dialect here, so
/// the same item gives the same resource record whichever way it arrived.
/// </summary>
public static partial class ConfigurationItems
{
    /// <summary>True when <paramref name="type"/> is written as a Config resource type (<c>AWS::S3::Bucket</c>), so it can be quoted in a query as is.</summary>
    public static bool IsResourceType(string type) => ResourceTypeShape().IsMatch(type);

    [GeneratedRegex(@"^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceTypeShape();

    /// <summary>A string member of an item, or empty.</summary>
    public static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    /// <summary>
    /// The identity of a normalised item: account, region, type, id and capture time. Two items with the same identity
    /// are the same observation of one resource.
    /// </summary>
    public static string Key(JsonObject ci) =>
        string.Join('|', Str(ci, "awsAccountId"), Str(ci, "awsRegion"), Str(ci, "resourceType"), Str(ci, "resourceId"), Str(ci, "configurationItemCaptureTime"));

    /// <summary>One advanced-query result (<c>Select*ResourceConfig</c>'s <c>Results</c>: a JSON string, or an object) as an object.</summary>
    /// <exception cref="InvalidDataException">The result is not a JSON object.</exception>
    public static JsonObject FromQueryResult(JsonNode? r)
    {
        try
        {
            return r is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) as JsonObject ?? throw new InvalidDataException("query result is not an object")
                : r as JsonObject ?? throw new InvalidDataException("query result is not an object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"query result is not JSON: {ex.Message}", ex);
        }
    }

    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["version"] = "configurationItemVersion",
        ["accountId"] = "awsAccountId",
        ["arn"] = "ARN",
        ["configurationItemMD5Hash"] = "configurationStateMd5Hash",
    };

    /// <summary>Normalises one configuration item of any dialect into the delivery dialect (keys sorted).</summary>
    public static JsonObject Normalise(JsonObject item)
    {
        var o = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (k, v) in item)
        {
            var name = Renames.TryGetValue(k, out var n) ? n : k;
            if (o.ContainsKey(name) && Renames.ContainsKey(k))
            {
                continue; // hybrid items: the delivery name wins
            }

            o[name] = v?.DeepClone();
        }

        foreach (var t in new[] { "configurationItemCaptureTime", "resourceCreationTime", "configurationItemDeliveryTime" })
        {
            if (o.TryGetValue(t, out var tv) && tv is JsonValue jv && jv.TryGetValue<double>(out var seconds))
            {
                o[t] = DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }
        }

        if (o.TryGetValue("configurationStateId", out var sid) && sid is JsonValue sv && sv.TryGetValue<string>(out var sids)
            && long.TryParse(sids, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sidn))
        {
            o["configurationStateId"] = sidn;
        }

        if (o.TryGetValue("configuration", out var conf))
        {
            o["configuration"] = ParseIfString(conf);
        }

        if (o.TryGetValue("supplementaryConfiguration", out var sup) && sup is JsonObject supObj)
        {
            var fixedSup = new JsonObject();
            foreach (var (k, v) in supObj.ToList())
            {
                var parsed = ParseIfString(v);
                if (k is "AccessControlList" or "Policy")
                {
                    parsed = ParseIfString(parsed); // double-encoded in some dialects
                }

                if (k == "BucketPolicy" && parsed is JsonObject bp && bp["policyText"] is JsonValue)
                {
                    bp["policyText"] = ParseIfString(bp["policyText"]);
                }

                fixedSup[k] = parsed;
            }

            o["supplementaryConfiguration"] = fixedSup;
        }

        if (o.TryGetValue("tags", out var tags) && tags is JsonArray tagList)
        {
            var map = new JsonObject();
            foreach (var t in tagList.OfType<JsonObject>())
            {
                if (t["key"] is JsonValue key)
                {
                    map[key.GetValue<string>()] = t["value"]?.DeepClone();
                }
            }

            o["tags"] = map;
        }

        if (o.TryGetValue("relationships", out var rels) && rels is JsonArray relArray)
        {
            var list = new JsonArray();
            foreach (var r in relArray.OfType<JsonObject>())
            {
                var nr = new JsonObject();
                foreach (var (k, v) in r.OrderBy(kv => kv.Key == "relationshipName" ? "name" : kv.Key, StringComparer.Ordinal))
                {
                    nr[k == "relationshipName" ? "name" : k] = v?.DeepClone();
                }

                list.Add((JsonNode)nr);
            }

            o["relationships"] = list;
        }

        var result = new JsonObject();
        foreach (var (k, v) in o)
        {
            result[k] = v;
        }

        return result;
    }

    private static JsonNode? ParseIfString(JsonNode? node)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            var t = s.TrimStart();
            if (t.StartsWith('"'))
            {
                try
                {
                    return JsonNode.Parse(s) is JsonValue inner && inner.TryGetValue<string>(out _) ? ParseIfString(inner) : node.DeepClone();
                }
                catch (JsonException)
                {
                    return node.DeepClone();
                }
            }

            if (t.StartsWith('{') || t.StartsWith('['))
            {
                try
                {
                    return JsonNode.Parse(s);
                }
                catch (JsonException)
                {
                    return node.DeepClone();
                }
            }
        }

        return node?.DeepClone();
    }
}
