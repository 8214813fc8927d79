using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>Loads the SARIF and findings schemas from the source tree and validates documents against them.</summary>
internal static class SchemaValidation
{
    private static readonly Lazy<JsonSchema> SarifSchema = new(LoadSarifSchema);
    private static readonly Lazy<JsonSchema> FindingsSchema = new(() =>
        Build(File.ReadAllText(Path.Combine(Golden.RepositoryRoot, "schemas", "findings.schema.json"))));

    public static JsonSchema Sarif => SarifSchema.Value;

    public static JsonSchema Findings => FindingsSchema.Value;

    /// <summary>
    /// The OASIS schema is draft-04, which JsonSchema.Net 8 does not implement; it is loaded as draft-07 by
    /// rewriting the root <c>$schema</c> and dropping the root <c>id</c> (see Schemas/NOTICE.md).
    /// Nothing else in the schema uses draft-04-only semantics (no boolean exclusiveMinimum/Maximum).
    /// </summary>
    private static JsonSchema LoadSarifSchema()
    {
        var path = Path.Combine(Golden.ReportingDirectory, "Schemas", "sarif-schema-2.1.0.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal("http://json-schema.org/draft-04/schema#", (string?)root["$schema"]);
        root["$schema"] = "http://json-schema.org/draft-07/schema#";
        // Renaming the root id to $id makes JsonSchema.Net 8 throw "Overwriting registered schemas is not
        // permitted" while building; every $ref in the schema is a local "#/definitions/..." pointer, so the id
        // is not needed and is dropped.
        Assert.True(root.Remove("id"));
        return Build(root.ToJsonString());
    }

    private static JsonSchema Build(string text) =>
        JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>Asserts that <paramref name="document"/> is valid, listing every error otherwise.</summary>
    public static void AssertValid(JsonSchema schema, byte[] document)
    {
        using var json = JsonDocument.Parse(document);
        var results = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return;
        }

        var errors = new StringBuilder();
        foreach (var detail in (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 }))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                errors.Append(detail.InstanceLocation).Append(" (").Append(detail.EvaluationPath).Append(") ")
                    .Append(keyword).Append(": ").Append(message).Append('\n');
            }
        }

        Assert.Fail("document is not valid against its schema:\n" + errors);
    }
}
