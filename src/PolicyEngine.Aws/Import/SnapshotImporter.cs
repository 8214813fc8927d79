using System.Text.Json.Nodes;
using System.Text.Json;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.ConfigItems;
using PolicyEngine.Core.Files;

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
        var items = new ConfigurationItemSet();
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
                items.Add(raw);
            }
        }

        var sorted = items.Sorted();
        var partition = sorted.Select(c => ConfigurationItems.Str(c, "ARN")).FirstOrDefault(a => a.StartsWith("arn:", StringComparison.Ordinal))?.Split(':')[1] ?? "aws";
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
                w.FlushWhenFull();
            }

            w.WriteEndArray();
            w.WritePropertyName("coverage");
            SnapshotJsonWriter.WriteCoverage(w, new CoverageSummary { OrganizationCollected = false }, resourcesCollected: true);
            w.WriteEndObject();
        });
        return new ImportResult(Path.GetFullPath(outputPath), sorted.Count, files);
    }

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
                return a.Select(ConfigurationItems.FromQueryResult);
            case JsonObject o when o.ContainsKey("resourceType"):
                return [o];
            case JsonArray a:
                return a.Select(x => x is JsonObject xo ? xo : ConfigurationItems.FromQueryResult(x));
            default:
                throw new InvalidDataException($"{path}: not a Config snapshot, query result or configuration item");
        }
    }
}
