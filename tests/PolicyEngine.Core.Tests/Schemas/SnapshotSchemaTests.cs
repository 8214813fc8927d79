using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Tests.Schemas;

/// <summary>
/// schemas/snapshot.schema.json accepts every sample and fixture snapshot in the repository, and rejects what the
/// loader rejects.
/// </summary>
public sealed class SnapshotSchemaTests
{
    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() => SchemaTestSupport.Load("snapshot.schema.json"));

    private static List<string> SnapshotFiles()
    {
        var root = SchemaTestSupport.RepositoryRoot;
        return Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.json")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "policies", "fixtures"), "*.json"))
            .Select(SchemaTestSupport.Relative)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static TheoryData<string> Snapshots() => new(SnapshotFiles());

    [Fact]
    public void There_are_snapshots_to_validate()
    {
        Assert.Contains("samples/sra-aligned.json", SnapshotFiles());
        Assert.Contains("policies/fixtures/base.json", SnapshotFiles());
    }

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void Snapshot_file_is_valid(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SchemaTestSupport.RepositoryRoot, relativePath)));
        var errors = SchemaTestSupport.Errors(Schema.Value, document.RootElement);
        Assert.True(errors.Length == 0, $"{relativePath} does not match schemas/snapshot.schema.json:\n{errors}");
    }

    /// <summary>Each mutation breaks a rule of the format that the loader enforces; the schema must reject it too.</summary>
    public static TheoryData<string, string> Breakages() => new()
    {
        { "formatVersion 2.0", """{"formatVersion":"2.0"}""" },
        { "no formatVersion", """{"metadata":{}}""" },
        { "status ok without response", Record("""{"service":"guardduty","operation":"ListDetectors","account":"111111111111","region":"us-east-1","status":"ok"}""") },
        { "status error without error", Record("""{"service":"guardduty","operation":"ListDetectors","account":"111111111111","region":"us-east-1","status":"error"}""") },
        { "error without code", Record("""{"service":"guardduty","operation":"ListDetectors","account":"111111111111","region":"us-east-1","status":"error","error":{"message":"denied"}}""") },
        { "unknown status", Record("""{"service":"guardduty","operation":"ListDetectors","account":"111111111111","region":"us-east-1","status":"okay","response":{}}""") },
        { "record without region", Record("""{"service":"guardduty","operation":"ListDetectors","account":"111111111111","status":"ok","response":{}}""") },
        { "parameters not an object", Record("""{"service":"guardduty","operation":"GetDetector","account":"111111111111","region":"us-east-1","parameters":"DetectorId=x","status":"ok","response":{}}""") },
        { "unknown role", """{"formatVersion":"1.0","roles":{"audit":[{"accountId":"222222222222","source":"configured","reason":"x"}]}}""" },
        { "role assignment without accountId", """{"formatVersion":"1.0","roles":{"logArchive":[{"source":"configured"}]}}""" },
        { "account without Id", """{"formatVersion":"1.0","organization":{"accounts":[{"Name":"Audit","State":"ACTIVE"}]}}""" },
        { "resource without resourceId", """{"formatVersion":"1.0","resources":[{"resourceType":"AWS::S3::Bucket"}]}""" },
        { "governed not a list", """{"formatVersion":"1.0","regions":{"governed":"us-east-1"}}""" },
        { "evidence not a list", """{"formatVersion":"1.0","evidence":{}}""" },
    };

    private static string Record(string record) => $$"""{"formatVersion":"1.0","evidence":[{{record}}]}""";

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Broken_snapshot_is_rejected_by_schema_and_loader(string name, string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(SchemaTestSupport.Errors(Schema.Value, document.RootElement).Length > 0, $"the schema accepts a snapshot with {name}");

        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(json), name + ".json", diagnostics);
        Assert.Null(snapshot);
        Assert.Contains(diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Code.StartsWith("PE400", StringComparison.Ordinal));
    }

    [Fact]
    public void Base_fixture_with_a_broken_record_is_rejected()
    {
        var path = Path.Combine(SchemaTestSupport.RepositoryRoot, "policies", "fixtures", "base.json");
        var snapshot = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var evidence = snapshot["evidence"] as JsonArray ?? [];
        snapshot["evidence"] = evidence;
        evidence.Add(new JsonObject
        {
            ["service"] = "guardduty", ["operation"] = "ListDetectors", ["account"] = "111111111111", ["region"] = "us-east-1",
            ["status"] = "ok",
        });
        using var document = JsonDocument.Parse(snapshot.ToJsonString());
        var errors = SchemaTestSupport.Errors(Schema.Value, document.RootElement);
        Assert.Contains("required", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_property_has_a_description()
    {
        var missing = new List<string>();
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaTestSupport.RepositoryRoot, "schemas", "snapshot.schema.json")))!;
        void Walk(JsonNode? node, string where)
        {
            if (node is not JsonObject obj)
            {
                return;
            }

            if (obj["properties"] is JsonObject properties)
            {
                foreach (var (name, value) in properties)
                {
                    if (value is JsonObject property && property["description"] is null)
                    {
                        missing.Add(where + "/properties/" + name);
                    }
                }
            }

            foreach (var (name, value) in obj)
            {
                if (value is JsonObject)
                {
                    Walk(value, where + "/" + name);
                }
                else if (value is JsonArray array)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], $"{where}/{name}/{i}");
                    }
                }
            }
        }

        Walk(schema, "#");
        Assert.True(missing.Count == 0, "properties without a description: " + string.Join(", ", missing));
    }
}
