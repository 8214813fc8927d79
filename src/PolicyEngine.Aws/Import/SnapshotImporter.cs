using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Collection;

namespace PolicyEngine.Aws.Import;

/// <summary>What an import produced.</summary>
/// <param name="OutputPath">The snapshot written.</param>
/// <param name="Resources">Configuration items in the snapshot.</param>
/// <param name="Files">Input files read.</param>
public sealed record ImportResult(string OutputPath, int Resources, int Files);

/// <summary>
/// Builds a snapshot from exported AWS Config data: Config snapshot/history files as delivered to S3
/// (<c>{"fileVersion","configSnapshotId","configurationItems":[...]}</c>, <c>.json</c> or <c>.json.gz</c>), advanced-query
/// results (<c>select-aggregate-resource-config</c> output, results as JSON strings) and API-dialect items
/// (configuration as a JSON string). Every item is normalised into the S3 delivery dialect.
/// </summary>
public static class SnapshotImporter
{
    /// <summary>Imports the files and writes the snapshot atomically (gzip when the path ends in <c>.gz</c>).</summary>
    /// <exception cref="InvalidDataException">A file is not one of the accepted shapes (the message names it).</exception>
    public static ImportResult Import(IEnumerable<string> inputPaths, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(inputPaths);
        var items = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var files = 0;
        foreach (var path in inputPaths)
        {
            files++;
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(SnapshotFile.ReadAll(path));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}: not JSON: {ex.Message}", ex);
            }

            foreach (var raw in ExtractItems(root, path))
            {
                var ci = Normalise(raw);
                var key = string.Join('|', Str(ci, "awsAccountId"), Str(ci, "awsRegion"), Str(ci, "resourceType"), Str(ci, "resourceId"), Str(ci, "configurationItemCaptureTime"));
                items[key] = ci;
            }
        }

        var sorted = items.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        var partition = sorted.Select(c => Str(c, "ARN")).FirstOrDefault(a => a.StartsWith("arn:", StringComparison.Ordinal))?.Split(':')[1] ?? "aws";
        SnapshotFile.Write(outputPath, gzip: false, w =>
        {
            w.WriteStartObject();
            w.WriteString("formatVersion", "1.0");
            SnapshotJsonWriter.WriteMetadata(w, partition, string.Empty, "import", DateTime.UtcNow);
            w.WritePropertyName("roles");
            new RoleAssignments().Write(w);
            w.WritePropertyName("regions");
            w.WriteStartObject();
            w.WritePropertyName("governed");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WritePropertyName("enabledByAccount");
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WritePropertyName("evidence");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WritePropertyName("resources");
            w.WriteStartArray();
            foreach (var ci in sorted)
            {
                ci.WriteTo(w);
            }

            w.WriteEndArray();
            w.WritePropertyName("coverage");
            SnapshotJsonWriter.WriteCoverage(w, new CoverageSummary { OrganizationCollected = false }, resourcesCollected: true);
            w.WriteEndObject();
        });
        return new ImportResult(Path.GetFullPath(outputPath), sorted.Count, files);
    }

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    private static IEnumerable<JsonObject> ExtractItems(JsonNode? root, string path)
    {
        switch (root)
        {
            case JsonObject o when o["configurationItems"] is JsonArray a:
                return a.OfType<JsonObject>();
            case JsonObject o when o["BaseConfigurationItems"] is JsonArray a:
                return a.OfType<JsonObject>();
            case JsonObject o when o["ConfigurationItem"] is JsonObject ci:
                return [ci];
            case JsonObject o when o["Results"] is JsonArray a:
                return a.Select(ParseResult);
            case JsonObject o when o.ContainsKey("resourceType"):
                return [o];
            case JsonArray a:
                return a.Select(x => x is JsonObject xo ? xo : ParseResult(x));
            default:
                throw new InvalidDataException($"{path}: not a Config snapshot, query result or configuration item");
        }
    }

    private static JsonObject ParseResult(JsonNode? r) =>
        r is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) as JsonObject ?? throw new InvalidDataException("query result is not an object")
        : r as JsonObject ?? throw new InvalidDataException("query result is not an object");

    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["version"] = "configurationItemVersion",
        ["accountId"] = "awsAccountId",
        ["arn"] = "ARN",
        ["configurationItemMD5Hash"] = "configurationStateMd5Hash",
    };

    /// <summary>Normalises one configuration item of any dialect into the delivery dialect (keys sorted).</summary>
    internal static JsonObject Normalise(JsonObject item)
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

                list.Add(nr);
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
